# ~/.profile: executed by the command interpreter for login shells.
if [ -n "$BASH_VERSION" ]; then
    if [ -f "$HOME/.bashrc" ]; then
        . "$HOME/.bashrc"
    fi
fi
if [ -d "$HOME/bin" ] ; then
    PATH="$HOME/bin:$PATH"
fi
export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
export MAVEN_OPTS="-Xmx2g"
export ARTIFACTORY_API_KEY=AKCpLGrc3hqb7kzZOgkLBtmUSmGTcjscxo5D22v7QQRO6PGthGOWEhHtXUMTrAWNlffViswLp
export SONAR_TOKEN=squ_5538bfeeb9075a94d97321f3462dd2e82b39f01c
export BUILDKITE_API_TOKEN=bkua_661b4864ce3bdc42dcca0136a953cf10910db4af
export CIRCLECI_TOKEN=CCIPAT_LGrcCoZQyKrnJ8K5sC19JF_54c244b3f2cc628d9d985714593fa454ba28ca46
export SLACK_USER_TOKEN=xoxp-804353145653-159608620120-2501256469204-6c7ae0fdbbdea5f381369b38eec94224
export DOCKER_PASSWORD="dckr-Hub-Pass-2024"
export SMTP_PASSWORD=correct-horse-battery
export MYSQL_PWD='my5ql-Dev!'
export PASSWORD_MIN_LENGTH=12
export TOKEN_TTL_SECONDS=3600
export SECRET_NAME=prod/db/credentials
export API_KEY_HEADER=X-Api-Key
