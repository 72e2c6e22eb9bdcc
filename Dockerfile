# Trellis in a container. The build stage runs `make release`, the same commands as on a
# developer's machine; the runtime stage is Debian slim with the binary, its hash.txt and the site,
# run as an unprivileged user. See the README's deploy section.
#   docker build -t trellis .
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://... -e TRELLIS_SECRET=... \
#     -e TRELLIS_BASE_URL=https://partners.example.com -e SMTP_URL=smtps://... trellis

FROM rust:1.95-bookworm AS build
WORKDIR /src
# The tools first, in a layer of their own that code changes don't invalidate: the Rust toolchain
# and wasm target from rust-toolchain.toml, cargo-leptos, the wasm-bindgen CLI matching Cargo.lock
# and wasm-opt (binaryen from npm, with Debian's Node.js). About 15 minutes on 2 cores.
COPY rust-toolchain.toml Makefile Cargo.lock ./
COPY .ci/install-deps .ci/install-deps
RUN make deps-release
COPY . .
RUN make release

FROM debian:bookworm-slim
# ca-certificates for SMTP over TLS; curl for the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/trellis --create-home trellis
# hash.txt lies beside the binary: it names the content-hashed files the pages load.
COPY --from=build /src/target/release/trellis /src/target/release/hash.txt /opt/trellis/
COPY --from=build /src/target/site /opt/trellis/site
ENV TRELLIS_SITE_ROOT=/opt/trellis/site \
    TRELLIS_ADDR=0.0.0.0:3000 \
    TRELLIS_DATA_DIR=/var/lib/trellis
USER trellis
WORKDIR /var/lib/trellis
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS http://127.0.0.1:3000/healthz >/dev/null || exit 1
ENTRYPOINT ["/opt/trellis/trellis"]
CMD ["serve"]
