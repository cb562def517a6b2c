# A gossip peer as a container. Build: docker build -t voidphone-gossip .
# Run one: docker run -e GOSSIP_BOOTSTRAPPER=host:6001 -v gossip-data:/data voidphone-gossip
# A network of peers: compose.yaml. Settings come from the environment (docker/entrypoint.sh);
# the config and hostkey live in /data, so a peer keeps its identity across restarts.

# Build stage: the same Maven wrapper and pinned plugins as ./gossip. Tests are CI's job.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp -q dependency:go-offline
COPY src src
RUN ./mvnw -B -ntp -q package -DskipTests && cp target/gossip.jar /gossip.jar

# Run stage: a JRE on Alpine, the smallest Temurin image; Netty uses NIO where its glibc epoll
# library does not load, which changes nothing a peer can see.
FROM eclipse-temurin:21-jre-alpine
RUN adduser -D -h /data gossip
COPY --from=build /gossip.jar /opt/gossip/gossip.jar
COPY scripts/run.jvm-options /opt/gossip/run.jvm-options
COPY docker/entrypoint.sh /opt/gossip/entrypoint.sh
USER gossip
VOLUME /data
EXPOSE 6001
ENTRYPOINT ["/opt/gossip/entrypoint.sh"]
