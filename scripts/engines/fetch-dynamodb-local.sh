#!/usr/bin/env bash
# Fetches DynamoDB Local (Amazon's Java engine, the one LocalStack runs for DynamoDB) from Maven
# Central into .cache/dynamodb-local/: its jar, its runtime dependencies and the sqlite4java native
# library for linux x86_64 (Maven Central has no linux arm64 build of sqlite4java 1.0.392).
#
# Maven resolves the dependency tree from a throwaway pom, so the jars come with their checksums
# verified and land in ~/.m2 as well. Idempotent: with the cache present it exits at once.
#
# DynamoDB Local has no flag to choose the listening address and binds every interface, so the
# script also compiles a tiny launcher (SkiffDynamoDBLocal, into launcher/) that starts the same
# server on 127.0.0.1 only. That needs javac: a JDK 17, not just a JRE.
#
# DynamoDB Local 2.6.1 is the newest release in Maven Central's maven-metadata.xml; it is
# compiled for Java 17 (class file version 61) and runs on it.
set -euo pipefail

readonly VERSION=2.6.1
readonly DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
# Bump when the launcher below changes, so existing caches rebuild it.
readonly STAMP="$VERSION+launcher.1"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dest="$root/.cache/dynamodb-local"
stamp="$dest/.version"

is_cached() { [[ -f "$stamp" && "$(<"$stamp")" == "$STAMP" ]]; }

is_cached && exit 0

mkdir -p "$root/.cache"
# One fetch at a time: parallel jest runs in the same tree would otherwise race on $dest.
exec 9>"$root/.cache/dynamodb-local.lock"
flock 9
is_cached && exit 0

if ! command -v javac >/dev/null; then
  echo "DynamoDB Local needs a JDK 17 (javac) to build its loopback launcher; install openjdk-17-jdk-headless" >&2
  exit 1
fi

echo "fetching DynamoDB Local $VERSION from Maven Central into $dest" >&2
work="$(mktemp -d "$root/.cache/dynamodb-local.tmp.XXXXXX")"
trap 'rm -rf "$work"' EXIT

cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.skiff.engines</groupId>
  <artifactId>dynamodb-local-fetch</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>com.amazonaws</groupId>
      <artifactId>DynamoDBLocal</artifactId>
      <version>$VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF

# Maven's output is noise unless it fails.
if ! mvn --batch-mode --file "$work/pom.xml" "$DEPENDENCY_PLUGIN:copy-dependencies" \
  -DincludeScope=runtime \
  -DexcludeArtifactIds=libsqlite4java-linux-i386,libsqlite4java-osx,sqlite4java-win32-x64,sqlite4java-win32-x86 \
  -DoutputDirectory="$work/lib" >"$work/mvn.log" 2>&1; then
  cat "$work/mvn.log" >&2
  exit 1
fi

for required in "DynamoDBLocal-$VERSION.jar" libsqlite4java-linux-amd64-*.so; do
  if ! compgen -G "$work/lib/$required" >/dev/null; then
    echo "DynamoDB Local fetch is incomplete: $required is missing" >&2
    exit 1
  fi
done

cat >"$work/SkiffDynamoDBLocal.java" <<'EOF'
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Starts DynamoDB Local as ServerRunner does, but on 127.0.0.1 only: it has no flag for that. */
public final class SkiffDynamoDBLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    for (Connector connector : ((Server) field.get(proxy)).getConnectors()) {
      ((ServerConnector) connector).setHost("127.0.0.1");
    }
    proxy.start();
  }
}
EOF
javac --release 17 -nowarn -cp "$work/lib/*" -d "$work/lib/launcher" "$work/SkiffDynamoDBLocal.java"

rm -rf "$dest"
mv "$work/lib" "$dest"
echo "$STAMP" >"$stamp"
