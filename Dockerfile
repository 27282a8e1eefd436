# LeakGuard service image.
#   docker build -t leakguard .
#   docker compose -f docker/compose.yaml up
#   tests/container/podman-smoke.sh builds and runs it where the base images cannot be pulled.
#
# The entrypoint is the CLI; the default command is the service (`watch`). Any other command
# replaces it, with the folder to scan mounted:
#   docker run --rm -v "$PWD:/src:ro" leakguard scan /src

# --- build: the SDK image (Ubuntu) publishes a self-contained linux-x64 CLI. ---
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files first, so the restore layer is reused while only sources change.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/LeakGuard.Matching/LeakGuard.Matching.csproj src/LeakGuard.Matching/
COPY src/LeakGuard.Core/LeakGuard.Core.csproj src/LeakGuard.Core/
COPY src/LeakGuard.Processes/LeakGuard.Processes.csproj src/LeakGuard.Processes/
COPY src/LeakGuard.Sources/LeakGuard.Sources.csproj src/LeakGuard.Sources/
COPY src/LeakGuard.Storage/LeakGuard.Storage.csproj src/LeakGuard.Storage/
COPY src/LeakGuard.Service/LeakGuard.Service.csproj src/LeakGuard.Service/
COPY src/LeakGuard.Validation/LeakGuard.Validation.csproj src/LeakGuard.Validation/
COPY src/LeakGuard.Cli/LeakGuard.Cli.csproj src/LeakGuard.Cli/
RUN dotnet restore src/LeakGuard.Cli/LeakGuard.Cli.csproj -r linux-x64 -p:SelfContained=true
COPY src/ src/
COPY rules/ rules/
# Self-contained because .NET 10 ships no Debian runtime image, and the runtime stage must be
# Debian for its libhyperscan5. linux-x64 only: Debian builds Hyperscan for amd64 alone.
RUN dotnet publish src/LeakGuard.Cli/LeakGuard.Cli.csproj -c Release -r linux-x64 --self-contained \
      --no-restore -o /out

# --- runtime: Debian with Hyperscan (the fast engine) and git (remote and history scans). ---
FROM debian:trixie-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libhyperscan5 git ca-certificates libssl3t64 libstdc++6 \
 && rm -rf /var/lib/apt/lists/*
# A fixed numeric uid, so orchestrators can verify runAsNonRoot without reading /etc/passwd.
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/leakguard --create-home leakguard
COPY --from=build /out /opt/leakguard
RUN ln -s /opt/leakguard/leakguard /usr/local/bin/leakguard
# The SQLite store defaults to ~/.leakguard; the volume keeps it across container restarts.
VOLUME /var/lib/leakguard
USER 10001:10001
WORKDIR /var/lib/leakguard
EXPOSE 8088
ENTRYPOINT ["leakguard"]
CMD ["watch", "--config", "/etc/leakguard/leakguard.yaml"]
