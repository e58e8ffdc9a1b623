# Tally's container image, built from the release archive (nothing is compiled here):
#   mvn -B package
#   docker build --build-arg VERSION=0.1.0-SNAPSHOT -t tally .
#   docker run -d -p 8080:8080 -v tally-data:/var/lib/tally tally
# The base image is pinned by digest: docs/deploy.md ("The container image") says how it was chosen and how to
# move it to a newer one.
FROM eclipse-temurin:17-jre@sha256:696817d4fb79b9c442e84e18483d8345dd2d0b6710546344e5eb182bd3153333

ARG VERSION=0.1.0-SNAPSHOT
# ADD unpacks a local tar archive: /opt/tally-VERSION
ADD dist/target/tally-${VERSION}.tar.gz /opt/
RUN ln -s "/opt/tally-${VERSION}" /opt/tally \
 && groupadd --system tally \
 && useradd --system --gid tally --home-dir /var/lib/tally --shell /usr/sbin/nologin tally \
 && mkdir -p /var/lib/tally \
 && chown tally:tally /var/lib/tally

# The journal, rollups, goals and tokens: keep them on a volume, back them up with `tally backup` (docs/deploy.md).
VOLUME /var/lib/tally
WORKDIR /var/lib/tally
USER tally
ENV TALLY_DATA_DIR=/var/lib/tally \
    TALLY_HOST=0.0.0.0 \
    TALLY_PORT=8080 \
    TALLY_JAVA_OPTS="-XX:InitialRAMPercentage=50 -XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
# /healthz from inside the container (loopback), with bash alone: the base image promises no HTTP client.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${TALLY_PORT:-8080} && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# The launcher execs java, so the JVM is PID 1 and gets docker stop's SIGTERM: it drains and exits 0.
ENTRYPOINT ["/opt/tally/bin/tally"]
CMD ["serve"]
