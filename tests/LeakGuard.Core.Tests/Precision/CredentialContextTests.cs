using System.Text;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Precision;

/// <summary>
/// In configuration a literal value under a key that names a secret is the leak, weak or not;
/// references, placeholders, empty values, booleans and numbers are not. Framework secrets are
/// found under their framework's key. In source code a weak literal stays an example.
/// </summary>
public sealed class CredentialContextTests : IClassFixture<BuiltInRulesSession>
{
    private readonly BuiltInRulesSession _builtIn;

    public CredentialContextTests(BuiltInRulesSession fixture) => _builtIn = fixture;

    /// <summary>Secrets reported at the default confidence (medium or more).</summary>
    private IEnumerable<Finding> Reported(string path, string text) =>
        _builtIn.Scan(path, text).Where(f => f.Kind == FindingKind.Secret && f.Confidence >= Confidence.Medium);

    [Theory]
    // Weak literal passwords, in every configuration format.
    [InlineData("deploy/rds.sh", "export RDS_PASSWORD='rds-pass-1'\n", "rds-pass-1")]
    [InlineData("config/app.json", "{\n  \"password\": \"hunter22\"\n}\n", "hunter22")]
    [InlineData(".env", "IRC_PASS=tulip-quartz-88\n", "tulip-quartz-88")]
    [InlineData(".vscode/sftp.settings.json", "{ \"sshPassphrase\": \"pass-phrase-2\" }\n", "pass-phrase-2")]
    [InlineData("www/config.php", "<?php\n$dbpasswd = 'pass123';\n", "pass123")]
    [InlineData(".idea/dataSources.local.xml", "<data-source name=\"prod\" user=\"user\" password=\"password\" />\n", "password")]
    [InlineData("conf/app.ini", "[smtp]\npass = weak-pw-1\n", "weak-pw-1")]
    [InlineData("config/app.toml", "[db]\npassword = \"kestrel7\"\n", "kestrel7")]
    [InlineData("src/main/resources/application.properties", "spring.datasource.password=Spring-Db-1\n", "Spring-Db-1")]
    [InlineData("www/wp-config.php", "define( 'DB_PASSWORD', 'Wp-Blog-Db-2022' );\n", "Wp-Blog-Db-2022")]
    [InlineData("home/dev/.bashrc", "export GITLAB_TOKEN=tok-for-ci-42\n", "tok-for-ci-42")]
    // Keys that name a secret of no known service.
    [InlineData(".env", "JWT_SECRET=kT9-storefront-jwt-Secret\n", "kT9-storefront-jwt-Secret")]
    [InlineData("ci/vars.yml", "CODECOV_TOKEN: 03ccbf9d-6b9c-4abe-a4d4-ecfb8d119d26\n", "03ccbf9d-6b9c-4abe-a4d4-ecfb8d119d26")]
    [InlineData("config/settings.ini", "[analytics]\nsegment_write_key = LGrcHLnEGQHhC3pE1k87ZKf8bcQzaHlY\n", "LGrcHLnEGQHhC3pE1k87ZKf8bcQzaHlY")]
    // Framework secrets.
    [InlineData(".env", "APP_KEY=base64:LGrcsdYl+9kxzqX4ib+CyJQ8sbTclEIy5enMpndaybO=\n", "base64:LGrcsdYl+9kxzqX4ib+CyJQ8sbTclEIy5enMpndaybO=")]
    [InlineData("www/wp-config.php", "define('AUTH_KEY',         'LGrcT;!=1[}K,.m6^_={D)CW |x8 f+<q');\n", "LGrcT;!=1[}K,.m6^_={D)CW |x8 f+<q")]
    [InlineData("mysite/settings.py", "SECRET_KEY = 'django-insecure-9x!k2#m@q7$w^z3&v*b8p(r)t5y+u0e'\n", "django-insecure-9x!k2#m@q7$w^z3&v*b8p(r)t5y+u0e")]
    [InlineData("config/secrets.yml", "production:\n  secret_key_base: 3c9f1e7a2b8d4c6e0f5a1b7c3d9e2f4a6b8c0d1e3f5a7b9c2d4e6f8a0b1c3d5e7f9a\n", "3c9f1e7a2b8d4c6e0f5a1b7c3d9e2f4a6b8c0d1e3f5a7b9c2d4e6f8a0b1c3d5e7f9a")]
    [InlineData(".env", "GITHUB_TOKEN=5d41402abc4b2a76b9719d911017c592ae7b3c1f\n", "5d41402abc4b2a76b9719d911017c592ae7b3c1f")]
    [InlineData("home/dev/.aws/credentials", "[legacy]\naws_secret_access_key = LGrcJNC4yibMcETH1NlL34bjXq\n", "LGrcJNC4yibMcETH1NlL34bjXq")]
    // A line that is one hash entry mapping a password key to a literal configures, in a file of
    // no known kind too: Perl's key => "value", Ruby's :key => 'value'.
    [InlineData("deploy/notes.txt", "password   =>   \"super$ecret\"\n", "super$ecret")]
    [InlineData("deploy/notes.txt", ":password       => '4ian1234',\n", "4ian1234")]
    // A passphrase of words, and a password with an unescaped '@' (the userinfo ends at the last '@').
    [InlineData("config/app.yml", "password: 'open sesame'\n", "open sesame")]
    [InlineData(".env", "DB_PASSPHRASE=\"correct horse battery staple\"\n", "correct horse battery staple")]
    [InlineData("config/db.yml", "uri: 'mongodb+srv://orders:Qv7n@2024)@cluster3.abcde.mongodb.net/shop'\n", "Qv7n@2024)")]
    // A weak password that passes a complexity rule with a keyboard run and symbols is still a password.
    [InlineData("config/db.yml", "uri: 'mongodb+srv://shop:Zxcvbnm@12345)@cluster3.abcde.mongodb.net/shop'\n", "Zxcvbnm@12345)")]
    // YAML block scalars (the value on the next line) and Make's assignments (?=, ::=).
    [InlineData("k8s/secret.yaml", "stringData:\n  restic_password: |\n    Restic-Backup-77!\n", "Restic-Backup-77!")]
    [InlineData("ci/vars.yml", "deploy:\n  api_token: >-\n    LGrcw8Kq2Lm4Np6Rt1Vw3Yb5Cd7Fg9Hj0Zx4Qa\n", "LGrcw8Kq2Lm4Np6Rt1Vw3Yb5Cd7Fg9Hj0Zx4Qa")]
    [InlineData("Makefile", "REGISTRY_PASSWORD ?= Edge-Reg-2024!push\n", "Edge-Reg-2024!push")]
    [InlineData("build/release.mk", "SIGNING_KEY ::= LGrcq7Zt2VmLw9Rk4xNb8PcJ3sYd6Hf1\n", "LGrcq7Zt2VmLw9Rk4xNb8PcJ3sYd6Hf1")]
    public void Literal_secrets_under_secret_naming_keys_in_configuration_are_reported(string path, string text, string secret)
    {
        Assert.Contains(Reported(path, text), f => f.SecretDigest == FingerprintKey.Ephemeral.Digest(secret));
    }

    [Theory]
    [InlineData(".env", "DB_PASSWORD=${DB_PASSWORD}\n")]
    [InlineData(".env", "DB_PASSWORD=\n")]
    [InlineData("config/app.yml", "password: \"{{ vault_db_password }}\"\n")]
    [InlineData("config/app.ini", "[pinecone]\napi_key = %(PINECONE_API_KEY)s\n")]
    [InlineData("config/app.yml", "redis_password: null\nsecret: true\n")]
    [InlineData(".env", "PASSWORD_MIN_LENGTH=12\nTOKEN_TTL_SECONDS=3600\n")]
    [InlineData(".env", "SECRET_NAME=prod/db/credentials\n")]
    [InlineData("config/app.yml", "api_key: \"your-api-key-goes-here\"\n")]
    [InlineData(".github/workflows/ci.yml", "env:\n  token: ${{ secrets.GITHUB_TOKEN }}\n")]
    [InlineData("config/application.properties", "app.keystore.password=ENC(LGrcG9x5Tq3wAq8+Kz2bVn1cXm0pLr7s)\n")]
    [InlineData(".env", "RECAPTCHA_SITE_KEY=6LLGrcW9w1T7jq1x3LIllYwv6Kf-Dcv7M2Uux2Rf\n")]
    // Messages and labels under a password key are not passphrases.
    [InlineData("config/locales/en.yml", "en:\n  password: \"The password must be 6 characters long or more.\"\n")]
    [InlineData("config/locales/fr.yml", "fr:\n  password: \"Mot de passe\"\n")]
    [InlineData("config/app.yml", "password: 'display the password'\n")]
    // Percent-decoded, an escaped '@' in the password must not split the userinfo: what follows is a socket path.
    [InlineData("config/db.yml", "url: mongodb://svc:Lq7wZ2k9%40prod@%2Ftmp%2Fmongodb-27017.sock\n")]
    // In source code a weak literal is most often an example: the judge's code rules apply.
    [InlineData("src/init.js", "const password = 'hunter22';\n")]
    // => in a statement that is more than one key => literal entry still reads as code.
    [InlineData("deploy/notes.txt", "opts = { :password => 'hunter22' }\n")]
    // A block scalar whose first line is no value (a script, a sentence, a path); a Make reference.
    [InlineData("k8s/job.yaml", "backup_secret: |\n  #!/bin/sh\n  restic backup /data\n")]
    [InlineData("k8s/job.yaml", "notes_secret: |\n  Rotated quarterly by the platform team.\n")]
    [InlineData("k8s/job.yaml", "token: |\n  /var/run/secrets/backup/token\n")]
    [InlineData("Makefile", "API_TOKEN ?= $(API_TOKEN_FROM_VAULT)\nDB_PASSWORD ?=\n")]
    // Pascal's := in a file of no known kind is code, as it was before Make's operators counted.
    [InlineData("examples/demo.pp", "    Password := 'pass-pascal-1';\n")]
    [InlineData("examples/demo.pp", "    Password:=GetOptionValue('p','password');\n")]
    // C++'s scope operator still reads as code in a file of no known kind.
    [InlineData("notes.txt", "auth::Token secret_token = auth::make(\"LGrcq7Zt2VmLw9Rk4xNb8PcJ3sYd6Hf1\")\n")]
    public void References_placeholders_and_code_examples_are_not_reported(string path, string text)
    {
        Assert.Empty(Reported(path, text));
    }

    [Fact]
    public void The_same_bytes_are_judged_by_each_files_own_name()
    {
        // Configuration rules are not confirmed in code; identical content seen first as code must
        // still be matched with them as configuration.
        byte[] text = Encoding.UTF8.GetBytes("IRC_PASS=tulip-quartz-88\n");
        var findings = _builtIn.Session.Scan([
            SourceItem.InMemory(new Blob { Path = "src/irc.js", Content = text }),
            SourceItem.InMemory(new Blob { Path = "deploy/.env", Content = text }),
        ]).Result.Findings.Where(f => f.Kind == FindingKind.Secret && f.Confidence >= Confidence.Medium);
        Assert.Contains(findings, f => f.Location.Path == "deploy/.env" && f.RuleId == "generic.config-password");
        Assert.DoesNotContain(findings, f => f.Location.Path == "src/irc.js" && f.RuleId == "generic.config-password");
    }
}
