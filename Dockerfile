# syntax=docker/dockerfile:1
# One image, two programs; the container command selects one (deploy/manifests does):
#   webhook:  ["/app/webhook", --tls-cert-file=..., --tls-key-file=...]
#   expander: ["/app/expander", "run"]   (also render / validate / convert, like the CLI)
#   kubectl plugin: /app/kubectl-models (the expander under the plugin's name: `kubectl models ...`)
# Build: docker build -t REGISTRY/ai-gateway-models:TAG .        (linux/amd64 or linux/arm64, native builds: Native AOT
#        does not cross-compile between architectures)
# The build stage runs hack/docker-publish.sh, which CI runs too.
# Base images are pinned by version; pin them by digest as well (@sha256:...) in a registry you control.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0.100-noble
# Ubuntu chiseled ("distroless"): no shell, no package manager, user app (UID 1654) by default. Both programs are
# Native AOT binaries, so the runtime-deps image (C runtime and OpenSSL, no .NET runtime) is all they need.
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0.0-noble-chiseled

FROM ${SDK_IMAGE} AS build
ARG TARGETARCH
# Native AOT links with clang and zlib (hack/publish.sh would install them too; here they get their own cached layer)
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# restore first, so that a source change does not download the packages again
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Engine/Engine.csproj src/Engine/
COPY src/Kube/Kube.csproj src/Kube/
COPY src/Common/Common.csproj src/Common/
COPY src/Expander/Expander.csproj src/Expander/
COPY src/Webhook/Webhook.csproj src/Webhook/
RUN case "${TARGETARCH:-amd64}" in arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac \
    && dotnet restore src/Expander -r "$rid" \
    && dotnet restore src/Webhook -r "$rid"
COPY src/ src/
COPY hack/publish.sh hack/docker-publish.sh hack/install-deps.sh hack/programs.tsv hack/
RUN case "${TARGETARCH:-amd64}" in arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac \
    && RID="$rid" hack/docker-publish.sh /app

FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="ai-gateway-models" \
      org.opencontainers.image.description="Admission webhook and expander controller for AI Gateway models values ConfigMaps"
# nothing in /app is writable by the user that runs it; the programs write nothing to disk (mount an emptyDir on /tmp
# for .NET's diagnostics socket when the root filesystem is read-only, as deploy/manifests does)
# the directory as a whole, so that the kubectl plugin stays a symlink to the expander (/app/kubectl-models: copy it out
# of the image onto a PATH, or run the image with it as the command)
COPY --from=build --chown=0:0 --chmod=0755 /app/ /app/
# the webhook listens where --urls says (HTTPS only), not on the base image's HTTP port 8080
ENV ASPNETCORE_HTTP_PORTS=
WORKDIR /app
USER 1654
ENTRYPOINT []
CMD ["/app/expander", "--help"]
