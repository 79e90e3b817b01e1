# syntax=docker/dockerfile:1
# SPDX-License-Identifier: MIT
#
# schemagen in a container: the binary, its libraries (libpq, libyaml,
# libpg_query) and the PostgreSQL server programs `check` and `diff` start
# their scratch server with.  Mount the project at /work:
#
#   docker build -t schemagen .
#   docker run --rm -v "$PWD:/work" schemagen check
#   docker run --rm -v "$PWD:/work" -e DATABASE_URL schemagen upgrade head
#
# Every step is tools/setup.sh or tools/install.sh, which t3870 runs too
# (no container runtime needed to test them); the entrypoint is
# tools/docker-entrypoint.sh, tested outside a container.

FROM debian:bookworm-slim AS build
WORKDIR /src
COPY . .
RUN tools/setup.sh \
 && tools/install.sh build --builddir /build --destdir /staging /usr/local \
 && tools/install.sh runtime-packages /build/schemagen \
      > /staging/usr/local/share/schemagen/runtime-packages

FROM debian:bookworm-slim
COPY --from=build /staging/usr/local/ /usr/local/
COPY tools/install.sh /usr/local/share/schemagen/install.sh
COPY tools/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN /usr/local/share/schemagen/install.sh runtime-deps \
      /usr/local/share/schemagen/runtime-packages
# as root the embedded server runs as the postgres user (from the
# postgresql package), its cluster in /var/tmp/schemagen-root
WORKDIR /work
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["--help"]
