# Sourced (from the project root) by the bench scripts that run the benchmarks module: selects JDK 25,
# builds the module and what it depends on, and sets CP to its classpath.
. ./bin/jdk-env.sh
mvn -q -DskipTests -pl benchmarks -am package
CP="benchmarks/target/classes:$(ls benchmarks/target/lib/*.jar | tr '\n' ':')"
