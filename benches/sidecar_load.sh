#!/usr/bin/env bash
# The sidecar under load, beside a baseline in the same run: `hey` (a real
# HTTP load generator, Debian's package, installed when missing) drives
#   1. nginx answering a static 204 (the cheapest answer a check can get),
#   2. `graph-checkout-route serve` answering check requests as Caddy and
#      Traefik send them (`/auth/forward`), allowed and refused alike,
# with the same number of requests and connections, and prints decisions
# per second, p50 and p99 latency of each and the ratio of their time per
# request. Then it sends 1 000 000 checks and prints the sidecar's memory
# (VmRSS) after the first 100 000 and at the end. Not a test: the numbers
# depend on the machine; compare the two lines of one run.
#
#   bash benches/sidecar_load.sh [REQUESTS] [CONNECTIONS]   # 200000 100
set -euo pipefail
cd "$(dirname "$0")/.."

requests="${1:-200000}"
connections="${2:-100}"

if ! command -v hey >/dev/null 2>&1; then
	echo "== apt-get install -y hey" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q hey >/dev/null
fi
command -v nginx >/dev/null 2>&1 || {
	echo "nginx is needed for the baseline (apt-get install nginx)" >&2
	exit 2
}

cargo build --release -q
dir=$(mktemp -d)
chmod 777 "$dir"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The baseline: nginx, one worker per core, `return 204`.
nginx_port=$(free_port)
cat >"$dir/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log error;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        location / { return 204; }
    }
}
EOF
nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
pids+=($!)

# The sidecar, with a few rules, the way a gateway would run it.
cat >"$dir/policy.toml" <<EOF
[server]
listen = "127.0.0.1:0"
max_connections = 4096
[policy]
non_checkout = "allow"
[[rule]]
template = "/drives/{drive-id}/items/{item-id}/checkout"
action = "deny"
[[rule]]
template = "/me/drive/items/{item-id}/checkout"
action = "allow"
labels = { team = "docs" }
EOF
./target/release/graph-checkout-route serve --config "$dir/policy.toml" >"$dir/sidecar.out" 2>"$dir/sidecar.err" &
sidecar_pid=$!
pids+=("$sidecar_pid")
for _ in $(seq 100); do
	grep -q "listening on" "$dir/sidecar.out" 2>/dev/null && break
	sleep 0.05
done
sidecar=$(sed -n 's/^listening on //p' "$dir/sidecar.out")
for _ in $(seq 100); do
	(exec 3<>"/dev/tcp/127.0.0.1/$nginx_port") 2>/dev/null && break
	sleep 0.05
done

# `hey`'s summary: requests per second, and the 50th and 99th percentiles.
run() {
	hey -n "$requests" -c "$connections" "$@" >"$dir/hey.out"
	rps=$(awk '/Requests\/sec:/ {print $2}' "$dir/hey.out")
	p50=$(awk '/ 50% in / {print $3}' "$dir/hey.out")
	p99=$(awk '/ 99% in / {print $3}' "$dir/hey.out")
	statuses=$(awk '/Status code distribution:/ {on=1; next} on && /\[/ {printf "%s%s", sep, $0; sep=","} on && /^$/ {on=0}' "$dir/hey.out" | tr -s ' ')
	echo "$rps $p50 $p99 $statuses"
}

check=(-H "X-Forwarded-Method: POST" -H "X-Forwarded-Uri: /v1.0/me/drive/items/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K/checkout")
echo "== $requests requests, $connections connections"
read -r base_rps base_p50 base_p99 base_statuses < <(run "http://127.0.0.1:$nginx_port/")
printf '%-34s %10s decisions/s  p50 %8.3f ms  p99 %8.3f ms  %s\n' "nginx, static 204 (baseline)" "$base_rps" \
	"$(echo "$base_p50 * 1000" | bc -l)" "$(echo "$base_p99 * 1000" | bc -l)" "$base_statuses"
read -r allow_rps allow_p50 allow_p99 allow_statuses < <(run "${check[@]}" "http://$sidecar/auth/forward")
printf '%-34s %10s decisions/s  p50 %8.3f ms  p99 %8.3f ms  %s\n' "sidecar, allowed checkouts" "$allow_rps" \
	"$(echo "$allow_p50 * 1000" | bc -l)" "$(echo "$allow_p99 * 1000" | bc -l)" "$allow_statuses"
deny=(-H "X-Forwarded-Method: POST" -H "X-Forwarded-Uri: /v1.0/drives/b!x/items/01AB/check%6Fut")
read -r deny_rps deny_p50 deny_p99 deny_statuses < <(run "${deny[@]}" "http://$sidecar/auth/forward")
printf '%-34s %10s decisions/s  p50 %8.3f ms  p99 %8.3f ms  %s\n' "sidecar, refused checkouts" "$deny_rps" \
	"$(echo "$deny_p50 * 1000" | bc -l)" "$(echo "$deny_p99 * 1000" | bc -l)" "$deny_statuses"
printf 'time per request, sidecar / baseline: allowed %.2f, refused %.2f\n' \
	"$(echo "$base_rps / $allow_rps" | bc -l)" "$(echo "$base_rps / $deny_rps" | bc -l)"

# Memory over 1 000 000 checks.
rss() { awk '/VmRSS/ {print $2}' "/proc/$sidecar_pid/status"; }
requests=100000 run "${check[@]}" "http://$sidecar/auth/forward" >/dev/null
after_warmup=$(rss)
requests=900000 run "${check[@]}" "http://$sidecar/auth/forward" >/dev/null
after_million=$(rss)
echo "sidecar VmRSS: $after_warmup kB after 100 000 checks, $after_million kB after 1 000 000"
