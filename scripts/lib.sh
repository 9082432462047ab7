# Shared by scripts/production, load-test, slow-clients and fault-check: the app as it runs in
# production (debug off, collected and hashed static files, gunicorn with gunicorn.conf.py behind
# nginx with deploy/nginx's configuration), outside a container.
# Source it after `cd` to the project root; it needs $work (a temp dir the caller removes).

PY=.venv/bin/python

production_env() {
  export DJANGO_SECRET_KEY="load-$(date +%s%N)-not-a-real-secret-but-long-enough-for-production-0123456789"
  export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
  export DJANGO_DEBUG=0
  export DJANGO_SETTINGS_MODULE=itb_portal.settings
  export DJANGO_STATIC_MANIFEST=1
  # COLLECTED_STATIC_DIR lets several scripts in one CI run share one collectstatic.
  export STATIC_ROOT_OVERRIDE="${COLLECTED_STATIC_DIR:-$work/static}"
  unset DJANGO_SECURE_SSL_REDIRECT
}

collect_static() {
  [ -f "$STATIC_ROOT_OVERRIDE/staticfiles.json" ] || $PY manage.py collectstatic --noinput -v0
}

# A database URL, with "sqlite" meaning a fresh SQLite file in $work.
database_url() {
  if [ "$1" = sqlite ]; then echo "sqlite:///$work/db.sqlite3"; else echo "$1"; fi
}

# The name of a database URL without its password, for messages.
database_label() {
  case "$1" in
    sqlite*) echo sqlite ;;
    *) echo "$1" | sed -E 's#://([^:@/]*):[^@]*@#://\1:***@#' ;;
  esac
}

# health_port APP_PORT: gunicorn's second port, for nginx's /health/ alone (deploy/nginx says why),
# as the Dockerfile's CMD listens on $PORT and $HEALTH_PORT.
health_port() {
  echo $(($1 + 1))
}

# start_gunicorn PORT LOGFILE [extra gunicorn args...]: starts it in the background, pid in $work/gunicorn.pid.
# It listens on PORT for pages and on health_port PORT for /health/.
start_gunicorn() {
  local port=$1 log=$2
  shift 2
  .venv/bin/gunicorn itb_portal.wsgi --config gunicorn.conf.py --bind "127.0.0.1:$port" \
    --bind "127.0.0.1:$(health_port "$port")" --pid "$work/gunicorn.pid" "$@" >"$log" 2>&1 &
  echo $! >"$work/gunicorn.launcher"
}

# start_nginx PORT APP_PORT: the system's nginx on 127.0.0.1:PORT in front of gunicorn on APP_PORT
# (and /health/ on health_port APP_PORT), as deploy/nginx/templates/default.conf.template
# says, run as this user with its files in $work/nginx.
# Its access log (paths without query strings) goes to $work/nginx-access.log.
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
start_nginx() {
  local port=$1 app_port=$2 config
  [ -x "$NGINX" ] || { echo "nginx is not installed: apt-get install nginx (or set NGINX to its path)" >&2; return 1; }
  config=$($PY scripts/nginx_conf.py "$work/nginx" --listen "127.0.0.1:$port" --app "127.0.0.1:$app_port" \
    --health "127.0.0.1:$(health_port "$app_port")")
  "$NGINX" -p "$work/nginx" -c "$config" -e stderr >>"$work/nginx-access.log" 2>>"$work/nginx-error.log" &
  echo $! >"$work/nginx.launcher"
}

stop_nginx() {
  local pid
  pid=$(cat "$work/nginx.launcher" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$work/nginx.launcher"
}

stop_gunicorn() {
  local pid
  pid=$(cat "$work/gunicorn.pid" 2>/dev/null || cat "$work/gunicorn.launcher" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$work/gunicorn.pid" "$work/gunicorn.launcher"
}

# wait_for_workers COUNT [SECONDS]: the master forks its workers one by one after it first answers,
# so a list of workers taken too early misses the last ones.
wait_for_workers() {
  local count=$1 limit=${2:-30} pid i
  pid=$(cat "$work/gunicorn.pid")
  for i in $(seq 1 $((limit * 10))); do
    [ "$(pgrep -P "$pid" | wc -l)" -ge "$count" ] && return 0
    sleep 0.1
  done
  echo "gunicorn did not start $count workers within ${limit}s" >&2
  return 1
}

# HTTP status of a GET, as an HTTPS request behind a proxy would be; 000 when there is no answer in time.
http_status() {
  curl -s -o /dev/null -m "${2:-5}" -w '%{http_code}' -H "X-Forwarded-Proto: https" "$1" || true
}

# refuse_taken_ports PORT...: fails if something already listens on one of them (another run, another
# developer's server), whose answers would otherwise be taken for ours.
refuse_taken_ports() {
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "port $port is already in use on 127.0.0.1: choose another (LOAD_TEST_PORT, PORT)" >&2
      return 1
    fi
  done
}

# wait_until_healthy PORT [SECONDS]
wait_until_healthy() {
  local port=$1 limit=${2:-30} i
  for i in $(seq 1 $((limit * 5))); do
    [ "$(http_status "http://127.0.0.1:$port/health/" 2)" = 200 ] && return 0
    sleep 0.2
  done
  return 1
}
