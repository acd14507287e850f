#!/bin/bash
# Container health check without curl: asks the service's readiness group over bash's /dev/tcp.
exec 3<>"/dev/tcp/127.0.0.1/${SERVER_PORT}" || exit 1
printf 'GET /readyz HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
grep -q '"status":"UP"' <&3
