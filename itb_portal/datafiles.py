"""Reading the YAML data files in content/ (contacts, symptom rules).

Every failure names the file, so whoever edits the data sees where the problem is.
"""

from pathlib import Path

import yaml


def read_yaml(path: Path, error: type[Exception]) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as problem:
        raise error(f"{path}: file not found") from problem
    except yaml.YAMLError as problem:
        raise error(f"{path}: not valid YAML ({problem})") from problem
