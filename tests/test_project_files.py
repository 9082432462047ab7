"""The project's own files agree with each other and with the code (issues 12 and 13): the
Makefile's .PHONY, README's settings table, .dockerignore, docker-compose.yml, deploy/'s nginx
configuration and the Dockerfile's health check."""

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "templates" / "default.conf.template"

# Reads of the environment in Python: os.environ.get("X"), os.environ["X"], os.getenv("X"),
# env_list("X", …) in settings, and "X" in os.environ. (setdefault is a write, not a setting.)
PYTHON_READS = re.compile(
    r"""os\.environ\.get\(\s*\\?["'](\w+)|os\.environ\[\s*["'](\w+)|os\.getenv\(\s*["'](\w+)"""
    r"""|env_list\(\s*["'](\w+)|["'](\w+)["']\s+in\s+os\.environ"""
)


def python_reads(paths) -> set[str]:
    found = set()
    for path in paths:
        for match in PYTHON_READS.finditer(path.read_text()):
            found.update(name for name in match.groups() if name)
    return found


def app_settings_read() -> set[str]:
    """Every setting the running site reads: the app, gunicorn.conf.py and the Dockerfile."""
    names = python_reads([*(ROOT / "itb_portal").rglob("*.py"), ROOT / "gunicorn.conf.py"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    names |= set(re.findall(r"\$\{?([A-Z][A-Z0-9_]+)", dockerfile)) | python_reads([ROOT / "Dockerfile"])
    return names


README = ROOT / "README.md"
DOCS = ROOT / "docs"


def section(path: Path, title: str) -> str:
    text = path.read_text()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def test_the_settings_table_lists_every_setting_the_code_reads_and_no_other():
    table = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section(DOCS / "deploying.md", "Settings"), re.M))
    read = app_settings_read()
    assert {"DJANGO_SECRET_KEY", "DJANGO_TRUSTED_PROXIES", "WEB_CONCURRENCY", "PORT"} <= read  # the scan works
    assert not read - table, f"add a row to docs/deploying.md's settings table for: {sorted(read - table)}"
    assert not table - read, f"docs/deploying.md's settings table names settings nothing reads: {sorted(table - read)}"


def test_every_setting_of_the_scripts_is_documented():
    readme = "".join(path.read_text() for path in [README, *DOCS.glob("*.md")])
    shell = [p for p in [*(ROOT / "scripts").iterdir(), *(ROOT / ".ci").iterdir()] if p.suffix not in {".py", ".lua"}]
    knobs = {name for path in shell for name in re.findall(r"\$\{([A-Z][A-Z0-9_]*):-", path.read_text())}
    knobs |= python_reads((ROOT / "scripts").glob("*.py"))
    assert {"LOAD_TEST_DURATION", "FAULT_CHECK_PORT"} <= knobs  # the scan works
    missing = sorted(name for name in knobs if f"`{name}`" not in readme)
    assert not missing, f"README or docs/ should say what these script settings do: {missing}"


def test_the_readme_reads_in_ten_minutes_and_links_every_document():
    """Issue 24: a newcomer's README of 150 lines or fewer; the rest is in docs/, each linked from it."""
    readme = README.read_text()
    assert len(readme.splitlines()) <= 150
    for heading in ("## Run it, test it", "## First admin users", "## Where things live", "## Editing content"):
        assert f"\n{heading}\n" in readme, heading
    assert "make run" in readme and "make test" in readme and "make users" in readme
    unlinked = [doc.name for doc in sorted(DOCS.glob("*.md")) if f"](docs/{doc.name})" not in readme]
    assert not unlinked, f"README links to no {unlinked}"
    for linked in re.findall(r"\]\(docs/([\w.-]+)\)", readme):
        assert linked.endswith(".md"), linked


def test_readme_says_what_ci_needs_and_how_long_it_takes_as_ci_itself_does():
    readme, ci = README.read_text(), (ROOT / ".ci" / "run").read_text()
    took = re.search(r"\((\d+) s in the last landed run\)", ci).group(1)
    assert f"({took} s in the last landed run)" in readme
    for needed in ("127.0.0.1:5432", "127.0.0.1:6379", "Chromium", "nginx", "wrk", "../shared"):
        assert needed in readme and needed in ci, needed


def test_phony_lists_exactly_the_makefiles_command_targets():
    makefile = (ROOT / "Makefile").read_text()
    phony = set(re.search(r"^\.PHONY:(.*)$", makefile, re.M).group(1).split())
    # Command targets are plain words; file targets ($(VENV)/.installed, static/dist/.built) are paths.
    targets = set(re.findall(r"^([A-Za-z][\w-]*):(?!=)", makefile, re.M))
    assert {"run", "test", "content", "export-content", "production"} <= targets
    assert phony == targets, f"in .PHONY but no target: {phony - targets}; a target not in .PHONY: {targets - phony}"


def dockerignored(path: str, patterns: list[str]) -> bool:
    """Whether Docker leaves `path` out of the build context (its rules, for the patterns used here)."""
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        body = pattern.lstrip("!").strip("/")
        regex = re.escape(body).replace(r"\*\*/", "(.*/)?").replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        if re.fullmatch(f"{regex}(/.*)?", path):
            ignored = not negate
    return ignored


def test_dockerignore_keeps_out_local_environments_databases_git_and_build_output():
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    for left_out in [
        ".venv/bin/python",
        "node_modules/nhsuk-frontend/package.json",
        "bench/node_modules/lighthouse/package.json",
        "db.sqlite3",
        "db.sqlite3-journal",
        "itb_portal/booklet/__pycache__/loader.cpython-311.pyc",
        ".git/HEAD",
        "static/dist/css/main.css",
        "staticfiles/staticfiles.json",
        ".env",
        "content/audit-log.csv",
    ]:
        assert dockerignored(left_out, patterns), left_out
    for needed in [
        "manage.py",
        "gunicorn.conf.py",
        "requirements.txt",
        "package.json",
        "itb_portal/settings.py",
        "templates/base.html",
        "content/contacts.yaml",
        "content/sections/010-spasticity.md",
        "static/scss/main.scss",
        "static/img/pump-system.svg",
    ]:
        assert not dockerignored(needed, patterns), needed
        assert (ROOT / needed).exists(), needed


def test_git_ignores_what_make_export_content_writes_besides_content():
    """The audit log's CSV is a copy of the database's record: `make export-content` leaves a clean tree."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "content/audit-log.csv", "content/sections/010-spasticity.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ignored.stdout.split() == ["content/audit-log.csv"]


def test_the_dockerfiles_health_check_probes_by_ip_address():
    found = re.search(r"^HEALTHCHECK\b.*?\bCMD (\[.*\])$", (ROOT / "Dockerfile").read_text(), re.M)
    command = " ".join(json.loads(found.group(1)))
    assert "http://127.0.0.1:" in command and "/health/" in command


@pytest.fixture
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_compose_runs_nginx_the_app_postgresql_and_redis_with_only_nginx_published(compose):
    assert {"nginx", "app", "db", "redis", "release"} <= set(compose)
    assert [name for name, service in compose.items() if "ports" in service] == ["nginx"]
    assert compose["app"]["expose"] == ["8000", "8001"]
    assert compose["app"]["environment"]["DATABASE_URL"].endswith("@db:5432/itb")
    assert compose["app"]["environment"]["REDIS_URL"].startswith("redis://redis:6379/")
    assert compose["release"]["command"] == ["python", "manage.py", "release"]
    # The image has no .git: the build passes the commit the release records as its approval.
    assert compose["release"]["build"]["args"] == {"ITB_GIT_COMMIT": "${ITB_GIT_COMMIT:-}"}
    assert compose["app"]["depends_on"]["release"] == {"condition": "service_completed_successfully"}


def test_compose_trusts_exactly_nginxs_address_and_points_nginx_at_the_app(compose):
    nginx, app = compose["nginx"], compose["app"]
    assert app["environment"]["DJANGO_TRUSTED_PROXIES"] == nginx["networks"]["itb"]["ipv4_address"]
    assert nginx["environment"]["ITB_APP_ADDRESS"] == f"app:{app['environment']['PORT']}"
    assert nginx["environment"]["ITB_HEALTH_ADDRESS"] == f"app:{app['environment']['HEALTH_PORT']}"
    assert "./deploy/nginx/templates:/etc/nginx/templates:ro" in nginx["volumes"]
    wanted = set(re.findall(r"\$\{(ITB_\w+)\}", NGINX_TEMPLATE.read_text()))
    assert wanted == set(nginx["environment"]) == {"ITB_LISTEN", "ITB_APP_ADDRESS", "ITB_HEALTH_ADDRESS"}


def test_the_health_probe_has_its_own_listener_on_the_same_workers():
    """A probe that queued behind 100 busy connections' pages once took over a second (CI's load test)."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    command = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1))
    # One gunicorn, so one set of workers, listening on both ports: a stuck worker slows the probe too.
    assert command[-1].count("exec gunicorn ") == 1
    assert "--bind 0.0.0.0:${PORT}" in command[-1] and "--bind 0.0.0.0:${HEALTH_PORT}" in command[-1]
    healthcheck = re.search(r"^HEALTHCHECK\b.*?\bCMD (\[.*\])$", dockerfile, re.M).group(1)
    assert "HEALTH_PORT" in healthcheck
    template = NGINX_TEMPLATE.read_text()
    health = re.search(r"location = /health/ \{(.*?)\n    \}", template, re.S).group(1)
    assert "proxy_pass http://itb_health;" in health
    assert "server ${ITB_HEALTH_ADDRESS};" in re.search(r"upstream itb_health \{(.*?)\n\}", template, re.S).group(1)
    pages = re.search(r"location / \{(.*?)\n    \}", template, re.S).group(1)
    assert "proxy_pass http://itb_app;" in pages


def nginx_conf():
    spec = importlib.util.spec_from_file_location("nginx_conf", ROOT / "scripts" / "nginx_conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_nginx_configuration_buffers_slow_clients_and_logs_no_query_string():
    text = NGINX_TEMPLATE.read_text()
    log_format = re.search(r"log_format\s+itb_no_query\s+(.*?);", text, re.S).group(1)
    for variable in ("$request ", '$request"', "$request_uri", "$args", "$query_string", "$arg_", "$is_args"):
        assert variable not in log_format, variable
    assert "access_log /dev/stdout itb_no_query;" in text
    assert re.search(r"^\s*error_log \S+ crit;", text, re.M)  # request lines appear in error-level messages
    for directive in ("proxy_buffering on;", "proxy_request_buffering on;", "client_header_timeout 5s;"):
        assert directive in text, directive
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text


def test_make_production_fills_in_the_template_and_nginx_accepts_it(tmp_path):
    config = nginx_conf().write(tmp_path, "127.0.0.1:8299", "127.0.0.1:8297", "127.0.0.1:8298")
    site = (tmp_path / "conf.d" / "itb-portal.conf").read_text()
    assert "listen 127.0.0.1:8299 default_server;" in site and "server 127.0.0.1:8297;" in site
    assert "server 127.0.0.1:8298;" in site
    assert not re.search(r"\$\{\w+\}", site)
    assert "$proxy_add_x_forwarded_for" in site  # nginx's own variables are left alone
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs nginx: .ci/run installs it")
        pytest.skip("no nginx here: `apt-get install nginx` to check the configuration")
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(config), "-e", "stderr"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_gunicorn_freezes_what_it_preloaded_before_each_fork_so_full_collections_skip_it():
    """A full garbage collection walked all of Django and the templates in each worker, now and then
    stalling a request: with gc.freeze the bench's p99 fell from 199-517 ms to 53 ms on the home page."""
    import gc
    import runpy

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    preloaded = {"a template": ["compiled"]}  # loaded by the master before the fork, as the app is
    assert any(found is preloaded for found in gc.get_objects())  # a full collection would walk it
    try:
        config["pre_fork"](server=None, worker=None)
        assert not any(found is preloaded for found in gc.get_objects())  # now no collection does
    finally:
        gc.unfreeze()


# --- docker compose on localhost (issue 24) ---------------------------------------

COMPOSE_VARIABLE = re.compile(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}")


def env_file(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if line.strip() and not line.startswith("#"))
    return {name.strip(): value.strip() for name, value in pairs}


def compose_with(environment: dict[str, str]) -> dict:
    """docker-compose.yml as `docker compose config` reads it with this environment (its ${…} rules)."""

    def value(match):
        name, rule, argument = match.groups()
        if environment.get(name):
            return environment[name]
        if rule == ":?":
            raise LookupError(f"{name} is required: {argument}")
        return argument if rule == ":-" else ""

    return yaml.safe_load(COMPOSE_VARIABLE.sub(value, (ROOT / "docker-compose.yml").read_text()))["services"]


def redirects_to_https(environment: dict[str, str], host: str) -> bool:
    """Whether the app, started with this environment, sends a plain-HTTP request for `host` to https."""
    check = (
        "import django; django.setup()\n"
        "from django.middleware.security import SecurityMiddleware\n"
        "from django.test import RequestFactory\n"
        f"request = RequestFactory().get('/', HTTP_HOST={host!r})\n"
        "answer = SecurityMiddleware(lambda r: None).process_request(request)\n"
        "print('redirect' if answer is not None and answer.url.startswith('https://') else 'plain')\n"
    )
    wanted = ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_SECURE_SSL_REDIRECT", "DJANGO_DEBUG")
    run_env = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "ITB_"))}
    run_env |= {name: str(value) for name, value in environment.items() if name in wanted}
    run_env |= {"DJANGO_SETTINGS_MODULE": "itb_portal.settings"}
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", check], cwd=ROOT, env=run_env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip() == "redirect"


def test_the_env_example_brings_compose_up_on_plain_http_at_localhost_8000():
    """`cp .env.example .env && docker compose up` answers http://localhost:8000/ itself, not with a
    redirect to https: no daemon runs here, so this reads the compose file as compose does."""
    example = env_file(ROOT / ".env.example")
    assert {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "POSTGRES_PASSWORD"} <= set(example)
    services = compose_with(example)  # every required variable is set: no LookupError
    app, nginx = services["app"]["environment"], services["nginx"]
    assert app["DJANGO_SECURE_SSL_REDIRECT"] == "0"
    assert "localhost" in app["DJANGO_ALLOWED_HOSTS"].split(",")
    assert nginx["ports"] == ["8000:8000"] and nginx["environment"]["ITB_LISTEN"] == "8000"
    assert not redirects_to_https(app, "localhost:8000")
    # .env is never sent to docker build or to git.
    assert (
        ".env" in (ROOT / ".gitignore").read_text().split() and ".env" in (ROOT / ".dockerignore").read_text().split()
    )


def test_compose_in_production_keeps_the_redirect_to_https_and_refuses_to_start_without_its_secrets():
    production = {
        "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x" * 30,
        "DJANGO_ALLOWED_HOSTS": "itb.example.nhs.uk",
        "POSTGRES_PASSWORD": "secret",
    }
    app = compose_with(production)["app"]["environment"]
    assert app["DJANGO_SECURE_SSL_REDIRECT"] == "1"
    assert redirects_to_https(app, "itb.example.nhs.uk")
    for required in production:
        with pytest.raises(LookupError, match=required):
            compose_with({name: value for name, value in production.items() if name != required})


def test_docker_compose_itself_reads_the_env_example_as_this_test_does():
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.skip("no docker-compose here: the tests above read docker-compose.yml as it would")
    result = subprocess.run([compose, "--env-file", ".env.example", "config"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert services["app"]["environment"]["DJANGO_SECURE_SSL_REDIRECT"] == "0"
    assert services["nginx"]["environment"]["ITB_LISTEN"] == "8000"
