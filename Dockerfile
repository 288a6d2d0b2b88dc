FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked

FROM debian:bookworm-slim
# curl: the docker-compose healthcheck asks /emulator/ready.
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 libsqlite3-0 ca-certificates curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/release/esia-emulator /usr/local/bin/esia-emulator
EXPOSE 8080
CMD ["esia-emulator", "serve", "--bind", "0.0.0.0:8080"]
