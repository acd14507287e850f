#!/bin/sh
# Makes the dev token-signing key pair (PKCS#8 private, X.509 public) that kustomization.yaml
# turns into the jwt-signing-key secret. Production supplies its own (see ../prod).
set -e
cd "$(dirname "$0")"
mkdir -p keys
[ -f keys/private.pem ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out keys/private.pem
openssl pkey -in keys/private.pem -pubout -out keys/public.pem
