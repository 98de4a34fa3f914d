#!/bin/sh
# Builds one service module (with the modules it needs) and gathers everything it runs with in <out>/lib:
# its jar, its runtime dependencies and a log4j2 binding (the modules log through slf4j and leave the binding to
# whoever runs them). Used by the Dockerfiles under deploy/; runs from the repository root.
#   deploy/build-service.sh rtmp-edge /out
set -eu
module="$1"
out="$2"
mkdir -p "$out/lib"
mvn -B -q -pl "$module" -am -DskipTests package \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$out/lib"
cp "$module"/target/"$module"-*.jar "$out/lib/"
rm -f "$out"/lib/*-tests.jar "$out"/lib/*-sources.jar
log4j=$(sed -n 's:.*<log4j.version>\(.*\)</log4j.version>.*:\1:p' pom.xml)
for artifact in log4j-api log4j-core log4j-slf4j2-impl; do
    mvn -B -q -N dependency:copy -Dartifact="org.apache.logging.log4j:$artifact:$log4j" -DoutputDirectory="$out/lib"
done
cp deploy/log4j2.xml "$out/log4j2.xml"
