# Shared settings and helpers of the setup entry points (sourced, not run).
# Every setting can be overridden from the environment.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo}"
VENV="${LOGISTICS_VENV:-$REPO_ROOT/.venv}"
VAR_DIR="${LOGISTICS_VAR_DIR:-$REPO_ROOT/var}"
PYTHON="$VENV/bin/python"
SUITE_MODULES="logistics_integration,logistics_canonical,logistics_stock,connector_tms,connector_carrier,connector_edi,logistics_billing,logistics_billing_edi,logistics_payment,connector_tms_billing,connector_edi_sale,logistics_portal,logistics_customer_service,logistics_amqp,logistics_telematics"
ODOO_DOWNLOAD_URL="${ODOO_DOWNLOAD_URL:-https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz}"

say() { printf '\033[1m[%s]\033[0m %s\n' "$(basename "$0")" "$*"; }
die() { printf '\033[1;31m[%s] error:\033[0m %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

odoo_tree_ok() {
    [ -x "$ODOO_SRC/odoo-bin" ] && grep -q "^version_info = (18, 0" "$ODOO_SRC/odoo/release.py" 2>/dev/null
}

# secret_key: this checkout's key for partner credentials (var/secret.key, made
# once, readable by its owner only). Databases made here keep their secrets
# under it, so it outlives the configs written on every run.
secret_key() {
    local file="$VAR_DIR/secret.key"
    if [ ! -s "$file" ]; then
        mkdir -p "$VAR_DIR"
        (umask 077 && "$PYTHON" -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" >"$file")
    fi
    cat "$file"
}

# write_odoo_conf <file> <db> <http_port> [extra "key = value" lines...]
# Writes an Odoo config for this checkout: addons path, data dir, queue_job
# server-wide loading and the key of partner credentials. Database connection comes from libpq's environment
# (PGHOST, PGPORT, PGUSER, PGPASSWORD), local socket by default.
write_odoo_conf() {
    local file="$1" db="$2" port="$3"
    shift 3
    mkdir -p "$(dirname "$file")" "$VAR_DIR/data"
    {
        echo "[options]"
        echo "addons_path = $ODOO_SRC/addons,$REPO_ROOT/addons"
        echo "data_dir = $VAR_DIR/data"
        # db_name alone pins the database; a dbfilter would make Odoo list the
        # databases (a new PostgreSQL connection) on every cookie-less API request
        echo "db_name = $db"
        echo "list_db = False"
        echo "http_interface = 127.0.0.1"
        echo "http_port = $port"
        echo "gevent_port = $((port + 3))"
        echo "server_wide_modules = base,web,queue_job"
        echo "logistics_secret_keys = $(secret_key)"
        for line in "$@"; do echo "$line"; done
    } >"$file"
}

# wait_http <url> <seconds>: true once the URL answers at all.
wait_http() {
    local url="$1" deadline=$((SECONDS + $2))
    while [ $SECONDS -lt $deadline ]; do
        curl -s -o /dev/null --max-time 2 "$url" && return 0
        sleep 1
    done
    return 1
}
