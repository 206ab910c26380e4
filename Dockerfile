# Builds the carebroker binary and runs it on a small Debian image.
FROM golang:1.27.3-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/carebroker ./cmd/carebroker

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates wget && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/carebroker /usr/local/bin/carebroker
USER 65534:65534
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/carebroker"]
CMD ["serve", "--seed"]
