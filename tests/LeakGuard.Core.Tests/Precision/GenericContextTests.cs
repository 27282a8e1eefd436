using System.Text;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;
using LeakGuard.Matching;

namespace LeakGuard.Core.Tests.Precision;

/// <summary>
/// The built-in generic rules on code shapes taken from real open-source packages (firebase,
/// googleapis, the AWS SDK, next, zod…): none is a credential, and none may be reported at the
/// default confidence. Literal credentials in configuration and code still are.
/// </summary>
public sealed class GenericContextTests : IClassFixture<BuiltInRulesSession>
{
    private readonly BuiltInRulesSession _builtIn;
    private readonly ScanSession _session;

    public GenericContextTests(BuiltInRulesSession fixture) => (_builtIn, _session) = (fixture, fixture.Session);

    private IReadOnlyList<Finding> Scan(string path, string text) => _builtIn.Scan(path, text);

    [Theory]
    // An error code whose value names the key (firebase auth).
    [InlineData("src/api/errors.ts", "export const E = {\n  INVALID_PASSWORD: 'auth/wrong-password',\n};\n")]
    // An enum value that is a label.
    [InlineData("src/model/id_token.d.ts", "export declare enum Ep {\n    ResetPassword = \"identitytoolkit#ResetPasswordResponse\",\n}\n")]
    // A generated API client's doc placeholder.
    [InlineData("build/src/apis/sql/v1beta4.d.ts", "/**\n   *   //   \"rootPassword\": \"my_rootPassword\",\n */\n")]
    // A type check.
    [InlineData("dist/index.js", "function f(e){ if (typeof e.password == \"string\") { return 1; } }\n")]
    // A member access, matched by the .npmrc token rule.
    [InlineData("src/network/transport.ts", "class T { f(data) { this._authToken = data.accessToken; } }\n")]
    // A PowerShell command, not a value.
    [InlineData("tools/Invoke.ps1", "$pwd = 'Get-Location'\n")]
    // A README example.
    [InlineData("README.md", "axios.get(u, { auth: { username: 'janedoe', password: 's00pers3cret' } })\n")]
    // A test fixture.
    [InlineData("tests/url.test.ts", "parse(\"mongodb://username:password@host:1234\");\n")]
    // A value that repeats its compound key (a .NET template's appsettings.json).
    [InlineData("content/appsettings.json", "  \"ResetPasswordPolicyId\": \"MyResetPasswordPolicyId\",\n")]
    // AWS's documented example keys and RFC 6750's sample bearer token.
    [InlineData("docs/AssumeRole.md", "AccessKeyId: \"AKIAIOSFODNN7EXAMPLE\"\nSecretAccessKey: \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\n")]
    [InlineData("notes/rfc.txt", "GET /resource HTTP/1.1\nAuthorization: Bearer mF_9.B5f-4.1JqM\n")]
    // Google's documented reCAPTCHA test secret key, in the settings of a plugin's test setup.
    [InlineData("src/settings.py", "RECAPTCHA_PRIVATE_KEY = '6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe'\n")]
    // The same default word in code is an example.
    [InlineData("src/init.js", "const password = 'Administrator';\n")]
    // A usage example in a Python module docstring.
    [InlineData("urllib/request.py", "\"\"\"Opening URLs.\n\nauth.add_password(realm='PDQ', user='klem',\n                  passwd='geheim$parole')\n\"\"\"\nimport os\n")]
    // A usage example in a block comment whose lines do not start with '*'.
    [InlineData("src/client.js", "/*\n  Usage:\n    connect({ password: 'Pq7-zX2!mW9r' })\n*/\nexport function connect(o) {}\n")]
    // An e-mail address as a call argument.
    [InlineData("src/flow.ts", "const password = 'user@example.com';\n")]
    // The illustrative word alone still asks for a value; in code, built on one, it is an example.
    [InlineData("deploy/.env", "DB_PASSWORD=example\n")]
    [InlineData("deploy/settings.yml", "smtp:\n  password: '**dummy**'\n")]
    [InlineData("src/db.py", "conn = connect(user='etl', password='dummy-pass')\n")]
    // A section key's placeholder, reference or label; and a Key outside such a section.
    [InlineData("src/Orders/appsettings.json", "{ \"Jwt\": { \"Key\": \"<at-least-32-characters-of-secret>\" } }\n")]
    [InlineData("config/staging.yml", "jwt:\n  key: JWT_SIGNING_KEY_FROM_VAULT\n")]
    [InlineData("src/Orders/appsettings.json", "{ \"Cache\": { \"Key\": \"orders-cache-partition-01\" } }\n")]
    // Web Push's VAPID key is the application server's public key (firebase messaging).
    [InlineData("dist/esm/index.esm.js", "const DEFAULT_VAPID_KEY = 'BDOU99-h67HcA6JeFXHbSNMu7e2yNNu3RzoMj8TM4W88jITfq7ZmPvIM1Iv-4_l2LxQcYwhqby2xGpWwzjfAnG4';\n")]
    [InlineData("src/cache.ts", "const cacheKey = \"orders:by-customer:v2:2024-06-01T00\";\n")]
    // A generic key's label-shaped value in code stays an identifier.
    [InlineData("src/reset.ts", "const password = 'reset-password-form';\n")]
    // In code, a header's or a setting's name with a secret word in it (the AWS SDK's IMDS header).
    [InlineData("dist-es/defaults-mode/constants.js", "export const X_AWS_EC2_METADATA_TOKEN = \"x-aws-ec2-metadata-token\";\n")]
    // Test-run logs (DejaGnu, Automake): PASS: names the test that passed.
    [InlineData("doc/binutils/test-summary-amd64", "PASS: binutils-all/common-1d\nPASS: binutils-all/common-2e\n")]
    [InlineData("gdb/testsuite/gdb.sum", "Running /build/ld/testsuite/ld-scripts/alignof.exp ...\nPASS: ALIGNOF-Check\nRunning /build/ld/testsuite/ld-scripts/assert.exp ...\nFAIL: ASSERT\n")]
    // Manuals: a roff page of any section, an Info manual's parts, release notes, a manual's braced placeholders.
    [InlineData("man5/apt_auth.conf.5", ".\\\" generated by docbook\n.TH \"APT_AUTH\\&.CONF\" \"5\"\nmachine example\\&.org login apt password debian\n")]
    [InlineData("info/gnupg.info-1", "   Passphrase: Mv3-abc-Rq7\n")]
    [InlineData("wget/NEWS", "** Wget now supports --ftp-password Zq8vL2w7Kx for FTP.\n")]
    [InlineData("vim90/doc/pi_netrw.txt", "\tmachine {full machine name} login {user-id} password \"{password}\"\n")]
    // Free Pascal units and Vim scripts are code: a record type, a parameter's type, a dictionary of attributes.
    [InlineData("packages/users/src/pwd.pp", "{$mode objfpc}\nunit pwd;\ninterface\ntype\n  Passwd = record\n    pw_name: PChar;\n  end;\n")]
    [InlineData("rtl/netware/nwcalls.pas", "function NWLoginToFileServer(conn: THandle; objName: Pnstr8; password: Pnstr8): TNWCCODE;\n")]
    [InlineData("autoload/xml/html40.vim", "\\ 'accesskey' : ['Character', ''],\n")]
    // A call, the choices a manual lists, a template's capitals, prose after an option.
    [InlineData("notes/keyctl.txt", "auth_key = keyctl(KEYCTL_GET_KEYRING_ID,\n")]
    [InlineData("notes/wgetrc.txt", "ask_password = on/off\n")]
    [InlineData("notes/netrc-howto.txt", "machine HOSTNAME login USERID password \"PASSWORD\"\n")]
    [InlineData("notes/changes.txt", "The --http-passwd switch has been renamed to --http-password respectively, and\n")]
    // The JDK's documented default keystore password and OpenID Connect's example access token.
    [InlineData("scripts/list-certs.sh", "keytool -list -keystore cacerts -storepass changeit\n")]
    // Python's type stubs, an SDK's examples file, a package's metadata (its README).
    [InlineData("stubs/pycurl/pycurl.pyi", "USERPWD: int\nowner_password: str\n")]
    [InlineData("botocore/data/kms/2014-11-01/examples-1.json", "{ \"output\": { \"KeyStorePassword\": \"kms-Pa55word-7\" } }\n")]
    [InlineData("orjson-3.8.3.dist-info/METADATA", "password: Zq8-vT2kLw5x\n")]
    // A value mapped to a type's name (CloudFormation resource types) and a call cut at its parenthesis.
    [InlineData("schemas/providers/us_east_1.py", "types = {\n    \"AWS::ApiGateway::ApiKey\": \"48204ac2a3f1e5b7c9d0f8e6a4b2c1ab\",\n}\n")]
    [InlineData("urllib3/contrib/low_level.py", "    password = base64.b16encode(random_bytes[8:])  # Must be valid UTF-8\n")]
    // A provider's registration call that names a secret-key algorithm, not a lookup with a fallback.
    [InlineData("com/sun/crypto/provider/SunJCE.java", "ps(\"SecretKeyFactory\", \"PBEWithHmacSHA256AndAES_128\", \"com.sun.crypto.provider.PBEKeyFactory\");\n")]
    // AWS's CLI examples: a key id with EXAMPLE after its prefix; a PEM key with its middle left out.
    [InlineData("scripts/presign.sh", "curl 'https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIAEXAMPLE123456789%2F20210621%2Fus-west-2%2Fs3%2Faws4_request'\n")]
    [InlineData("notes/greengrass.txt", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAqycxCDR7m4aLp0Zb...fvY4+teQmK2cT8sR1vW0xN3jH\n-----END RSA PRIVATE KEY-----\n")]
    // A C error code in hexadecimal, a Configure answer, a C++ scope after a key word (cppcheck's library files, Perl's config.sh).
    [InlineData("cppcheck/cfg/windows.cfg", "<def>\n  <define name=\"FVE_E_NO_TPM_WITH_PASSPHRASE\" value=\"0x803100AC\"/>\n</def>\n")]
    [InlineData("perl/config.sh.shared", "d_pwpasswd='define'\n")]
    [InlineData("cppcheck/cfg/cppcheck-lib.cfg", "<function name=\"Token::astOperand1,Token::astOperand2,Token::astParent\">\n")]
    // A resource bundle's translation: UI strings.
    [InlineData("sun/security/tools/jarsigner/resources/jarsigner_de.java", "{ \"x\", \"Wenn -protected angegeben ist, d\\u00FCrfen -storepass und -keypass nicht angegeben werden\" },\n")]
    // A value that says it is fake.
    [InlineData("config/app.yml", "smartsheet:\n  sheet_token: fakeiq999fakeecyfake3ifakeuiop\n")]
    // A commented-out default in a configuration file.
    [InlineData("etc/ssl/openssl.cnf", "[ req ]\n# input_password = secret\n")]
    // Docker's join-token reference page's own token.
    [InlineData("scripts/join.sh", "docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 172.17.0.2:2377\n")]
    [InlineData("oauthlib/userinfo.py", "        GET /userinfo HTTP/1.1\n        Authorization: Bearer SlAV32hkKG\n")]
    // A login call's password read from a variable, a placeholder or a default word.
    [InlineData("includes/db.php", "<?php\n$link = mysql_connect($host, $user, $password);\n$db = mysqli_connect('localhost', 'root', 'password');\n")]
    [InlineData("app/db.py", "dsn = \"host=%s dbname=%s user=%s password=%s\" % (h, d, u, p)\n")]
    // Anti-forgery tokens a page hands to every browser (Rails, ASP.NET), in a saved page or a template.
    [InlineData("site/account/edit.xml", "<input type=\"hidden\" name=\"authenticity_token\" value=\"7SWa-Fo1_hsC6oovfBsJFLGPUl2EhkSWPbJhWANwgaJ4kQ\" autocomplete=\"off\" />\n")]
    [InlineData("config/forms.xml", "<field name=\"__RequestVerificationToken\" value=\"CfDJ8Nq3Vx7LmZ2kW9pR4tY6uB1cE5gH\" />\n")]
    // A status badge's token in a README: CircleCI's Status scope, made to be embedded.
    [InlineData("README.md", "[![CircleCI](https://circleci.com/gh/acme/cloud-build.svg?style=svg&circle-token=ecedd1dce3592adcd72ee4c61481972c32dcfad7)](https://circleci.com/gh/acme/cloud-build)\n")]
    public void Code_placeholders_and_published_examples_are_not_reported(string path, string text)
    {
        Assert.DoesNotContain(Scan(path, text), f => f.Kind == FindingKind.Secret);
    }

    [Theory]
    [InlineData(".env", "DB_PASSWORD=Zq8!vT2kLw5x\n", "generic.config-password", Confidence.High)]
    [InlineData("config/database.yml", "production:\n  password: 'T7v!q2Zx9LwR'\n", "generic.config-password", Confidence.High)]
    [InlineData("deploy/app.properties", "db.password=Winter2024!\n", "generic.config-password", Confidence.High)]
    [InlineData("src/db.py", "conn = psycopg2.connect(host=h, user='etl', password='Pq7-zX2!mW9r')\n", "generic.password-quoted", Confidence.Medium)]
    // Code after a closed docstring, and after a string that only looks like a comment opener.
    [InlineData("src/db.py", "\"\"\"Database access.\"\"\"\nconn = connect(user='etl', password='Pq7-zX2!mW9r')\n", "generic.password-quoted", Confidence.Medium)]
    [InlineData("src/db.js", "const accept = 'text/*';\nconst conn = connect({ password: 'Pq7-zX2!mW9r' });\n", "generic.password-quoted", Confidence.Medium)]
    // A weak default in a configuration file may be the real credential: it stays.
    [InlineData("deploy/credentials.yml", "deploy:\n  password: 'Administrator'\n", "generic.config-password", Confidence.Medium)]
    // A password built on an illustrative word is still a configured password (issue 10's `dummy-pass`).
    [InlineData("deploy/.env", "export RDS_PASSWORD='dummy-pass'\n", "generic.config-password", Confidence.Medium)]
    [InlineData("deploy/settings.yml", "smtp:\n  password: ExamplePas123\n", "generic.config-password", Confidence.High)]
    // A bare Key under a section that says it signs tokens (ASP.NET Core's Jwt:Key, a YAML jwt: block).
    [InlineData("src/Orders/appsettings.json", "{\n  \"Jwt\": {\n    \"Issuer\": \"https://orders.acme.io\",\n    \"Key\": \"Vq7rT2mXk9LpZ4sW8nB3cF6hJ1dG5aYe\"\n  }\n}\n", "generic.json-section-key", Confidence.High)]
    [InlineData("config/staging.yml", "jwt:\n  issuer: https://api.acme.io\n  key: pX4kR8vN2mQ7wZ5tL9sB3cF6\n", "generic.yaml-section-key", Confidence.High)]
    // A constant named *Key holding a random literal, in code (Go's []byte("…") too).
    [InlineData("internal/auth/jwt.go", "var signingKey = []byte(\"89a0742d19ca72618feeb12bbe61df65b47a5830e972ee6ca4dba78630a42410\")\n", "generic.key-quoted", Confidence.Medium)]
    [InlineData("internal/notify/notify.go", "const pagerDutyKey = \"Qc7DukiccW5w3RIpOArUTUBO9OEYn8\"\n", "generic.key-quoted", Confidence.Medium)]
    // Where a URL's or a DSN's syntax holds the password, a value shaped like a label is still one.
    [InlineData("internal/store/store.go", "\treturn sql.Open(\"mysql\", \"edge:Edge-MySQL-Pw@tcp(mysql.acme.internal:3306)/edge\")\n", "connection-strings.go-mysql-dsn", Confidence.Medium)]
    [InlineData("app/db.py", "engine = create_engine(\"postgresql://etl:Tulip-Quartz@db.acme.internal/etl\")\n", "connection-strings.database-url", Confidence.Medium)]
    // A token constant in code, typed or not.
    [InlineData("internal/status.go", "func post() {\n\tuptimeToken := `Ut3Rk8Zq2Wm7Lx4Vn9Bc6Td1`\n}\n", "generic.token-quoted", Confidence.Medium)]
    [InlineData("Services/WebhookSender.cs", "    private const string WebhookToken = \"Wh4Lq9Xz2Rm7Vk3Tn8Pc6Bd1\";\n", "generic.token-quoted", Confidence.Medium)]
    // A namespaced constant is still a constant; a template of real settings is still configuration.
    [InlineData("lib/acme/config.rb", "Acme::Config::API_KEY = \"Zx8Kq2Lm4Np6Rt1Vw3Yb5Cd7\"\n", null, Confidence.Medium)]
    [InlineData("deploy/.env.example", "DB_PASSWORD=Zq8!vT2kLw5x\n", "generic.config-password", Confidence.High)]
    // A commented-out random value in configuration may be the old real one.
    [InlineData("deploy/.env", "# DB_PASSWORD=Zq8!vT2kLw5x\n", "generic.config-password", Confidence.High)]
    // A bundle's base file, and a properties file whose suffix is no language, are configuration.
    [InlineData("config/db_prod.properties", "db.password=Winter2024!\n", "generic.config-password", Confidence.High)]
    // A PASS: setting alone is no test log; a Puppet manifest (.pp too) is no Pascal unit.
    [InlineData("deploy/compose.yml", "environment:\n  USER: etl\n  PASS: Zq8!vT2kLw5x\n", "generic.config-password", Confidence.High)]
    [InlineData("manifests/db.pp", "class db {\n  user { 'etl':\n    password => 'Zq8!vT2kLw5x',\n  }\n}\n", null, Confidence.Medium)]
    // A text file outside a documentation folder is notes, which may hold the real password.
    [InlineData("notes/handover.txt", "VPN password: Zq8!vT2kLw5x\n", null, Confidence.Medium)]
    // A literal password passed to a login call, or in libpq's keyword/value string, in code.
    [InlineData("includes/db.php", "<?php\n$link = mysqli_connect('db.internal', 'shop', 'Pq7-zX2mW9r', 'shop');\n", "connection-strings.connect-call-password", Confidence.Medium)]
    [InlineData("src/main/java/com/acme/Db.java", "Connection c = DriverManager.getConnection(\"jdbc:mysql://db:3306/app\", \"admin\", \"Hq4Vn8Rt2x\");\n", "connection-strings.connect-call-password", Confidence.Medium)]
    [InlineData("app/db.py", "conn = psycopg2.connect(\"host=prod.db.internal dbname=app user=etl password=Kq7-Zx2mLw\")\n", "connection-strings.libpq-keyword-password", Confidence.Medium)]
    // The Token scheme of an Authorization header (Django REST framework, GitHub), and a header set by index.
    [InlineData("scripts/report.sh", "curl -H \"Authorization: Token 7b2e9d4f1a8c3e6b0d5f2a9c4e7b1d8f3a6c0e5b\" https://api.acme.io/v1/reports/\n", "http.bearer-auth-header", Confidence.High)]
    [InlineData("client/api.py", "headers['Authorization'] = 'Basic cmVwb3J0czpWcTd4LTJMbTlaazQ='\n", "http.basic-auth-header", Confidence.Medium)]
    // The same token outside a badge's URL is a CircleCI token like any other.
    [InlineData("ci/.env", "CIRCLE_TOKEN=ecedd1dce3592adcd72ee4c61481972c32dcfad7\n", "circleci.api-token-legacy", Confidence.High)]
    [InlineData("scripts/status.sh", "curl \"https://circleci.com/api/v1.1/project/gh/acme/app?circle-token=ecedd1dce3592adcd72ee4c61481972c32dcfad7\"\n", "circleci.api-token-legacy", Confidence.High)]
    [InlineData("docs/setup-notes.txt", "VPN password: Zq8!vT2kLw5x\n", null, Confidence.Medium)]
    public void Literal_credentials_are_reported_with_the_confidence_their_context_earns(string path, string text, string? ruleId, Confidence confidence)
    {
        var finding = Assert.Single(Scan(path, text), f => f.Kind == FindingKind.Secret && (ruleId is null || f.RuleId == ruleId));
        Assert.Equal(confidence, finding.Confidence);
    }

    [Theory]
    [InlineData("tests/app/config/credentials.yml")]
    [InlineData("/home/ci/fixtures/app/config/credentials.yml")]
    [InlineData("config/credentials.yml")]
    public void A_files_kind_is_judged_below_the_scanned_root_however_the_root_was_typed(string typed)
    {
        // A weak default in a configuration file keeps the rule's confidence; in a test fixture it
        // would be an example. The folders above the scanned root say nothing about the file.
        var blob = new Blob { Path = typed, FingerprintPath = "config/credentials.yml", Content = Encoding.UTF8.GetBytes("deploy:\n  password: 'Administrator'\n") };
        var finding = Assert.Single(_session.Scan([SourceItem.InMemory(blob)]).Result.Findings, f => f.Kind == FindingKind.Secret);
        Assert.Equal(Confidence.Medium, finding.Confidence);
    }

    [Fact]
    public void A_finding_below_the_minimum_confidence_is_counted_in_the_notes()
    {
        var (result, notes) = _session.Scan([SourceItem.InMemory(new Blob
        {
            Path = "README.md",
            Content = "DB_PASSWORD=Zq8!vT2kLw5x\n"u8.ToArray(),
        })]);

        Assert.Empty(result.Findings);
        Assert.Contains(notes, n => n.Contains("below --min-confidence medium not shown", StringComparison.Ordinal));
    }
}
