using System.Text;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.CredentialFiles;

/// <summary>
/// Named credential files are read for what they hold: each credential is reported by its
/// format's rule, decoded where the format encodes it, at the line and column of its text in
/// the file. References and placeholders are not findings, and a file that is not what its name
/// says costs one warning and nothing else.
/// </summary>
public sealed class CredentialFileTests : IClassFixture<BuiltInRulesSession>
{
    private readonly BuiltInRulesSession _builtIn;

    public CredentialFileTests(BuiltInRulesSession fixture) => _builtIn = fixture;

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>A password as Windows System Image Manager hides it in an answer file.</summary>
    private static string Hidden(string password, string element) => Convert.ToBase64String(Encoding.Unicode.GetBytes(password + element));

    /// <summary>An answer file whose oobeSystem pass configures Shell-Setup with <paramref name="settings"/>.</summary>
    private static string AnswerFile(string settings) =>
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<unattend xmlns=\"urn:schemas-microsoft-com:unattend\">\n  <settings pass=\"oobeSystem\">\n"
        + "    <component name=\"Microsoft-Windows-Shell-Setup\" processorArchitecture=\"amd64\" publicKeyToken=\"31bf3856ad364e35\" language=\"neutral\" versionScope=\"nonSxS\">\n"
        + "      <UserAccounts>\n        " + settings + "\n      </UserAccounts>\n    </component>\n  </settings>\n</unattend>\n";

    public static TheoryData<string, string, string, string, string> Files => new()
    {
        // path, content, rule, the credential's text in the file, the credential
        { "home/dev/.pgpass", "# hostname:port:database:username:password\n*:*:*:replicator:Repl\\:ica-2020\n", "credential-files.pgpass", "Repl\\:ica-2020", "Repl:ica-2020" },
        { "home/dev/.netrc", "machine api.acme.io\n  login deploy\n  password Netrc-Deploy-9\n", "credential-files.netrc", "Netrc-Deploy-9", "Netrc-Deploy-9" },
        { "C/Users/ci/_netrc", "machine git.acme.io login ci password Win-Netrc-3\n", "credential-files.netrc", "Win-Netrc-3", "Win-Netrc-3" },
        { "home/dev/.git-credentials", "https://jane@acme.io:Git-Hand-42@git.acme.io\n", "credential-files.git-credentials", "Git-Hand-42", "Git-Hand-42" },
        { "AppData/FileZilla/sitemanager.xml", "<FileZilla3>\n <Servers>\n  <Server>\n   <Host>ftp.acme.io</Host>\n   <User>web</User>\n   <Pass encoding=\"base64\">" + B64("Fz-Site-20") + "</Pass>\n  </Server>\n </Servers>\n</FileZilla3>\n", "credential-files.filezilla", B64("Fz-Site-20"), "Fz-Site-20" },
        { "AppData/FileZilla/recentservers.xml", "<FileZilla3>\n <RecentServers>\n  <Server><Host>ftp.acme.io</Host><User>web</User><Pass>Fz-Plain-31</Pass></Server>\n </RecentServers>\n</FileZilla3>\n", "credential-files.filezilla", "Fz-Plain-31", "Fz-Plain-31" },
        // A password someone built on an illustrative word is what the client will send.
        { "AppData/FileZilla/recentservers.xml", "<FileZilla3>\n <RecentServers>\n  <Server><Host>ftp.acme.io</Host><User>web</User><Pass>ExamplePas123</Pass></Server>\n </RecentServers>\n</FileZilla3>\n", "credential-files.filezilla", "ExamplePas123", "ExamplePas123" },
        // Encoded as `echo secret | base64` does, the line break after the secret too.
        { "AppData/FileZilla/recentservers.xml", "<FileZilla3>\n <RecentServers>\n  <Server><Host>ftp.acme.io</Host><User>web</User><Pass encoding=\"base64\">" + B64("Fz-Echoed-77\n") + "</Pass></Server>\n </RecentServers>\n</FileZilla3>\n", "credential-files.filezilla", B64("Fz-Echoed-77\n"), "Fz-Echoed-77" },
        { "home/dev/.docker/config.json", "{\"auths\": {\"registry.acme.io\": {\"auth\": \"" + B64("ci:Dock-Echoed-4\r\n") + "\"}}}\n", "credential-files.docker-config", B64("ci:Dock-Echoed-4\r\n"), "Dock-Echoed-4" },
        { "home/dev/.docker/config.json", "{\n  \"auths\": {\n    \"ghcr.io\": {},\n    \"registry.acme.io\": {\n      \"auth\": \"" + B64("ci:Dock-Reg-55") + "\"\n    }\n  }\n}\n", "credential-files.docker-config", B64("ci:Dock-Reg-55"), "Dock-Reg-55" },
        { "home/dev/.dockercfg", "{\"registry.acme.io\":{\"auth\":\"" + B64("ci:Legacy-Cfg-8") + "\",\"email\":\"ci@acme.io\"}}\n", "credential-files.docker-config", B64("ci:Legacy-Cfg-8"), "Legacy-Cfg-8" },
        { "project/.npmrc", "registry=https://npm.acme.io/\n//npm.acme.io/:username=ci\n//npm.acme.io/:_password=" + B64("Npm-Pass-8") + "\n", "credential-files.npmrc", B64("Npm-Pass-8"), "Npm-Pass-8" },
        { "project/.npmrc", "_auth=" + B64("ci:Npm-Auth-6") + "\nalways-auth=true\n", "credential-files.npmrc", B64("ci:Npm-Auth-6"), "Npm-Auth-6" },
        { "home/dev/.s3cfg", "[default]\naccess_key = AKIAIOSFODNN7LGRC0A1\nsecret_key = S3cfg-Secret-Value-0042\n", "credential-files.s3cfg", "S3cfg-Secret-Value-0042", "S3cfg-Secret-Value-0042" },
        { "backup/ops/aws/credentials", "[prod]\naws_access_key_id = AKIAIOSFODNN7LGRC0A2\naws_secret_access_key = short-Secret-17\n", "credential-files.aws-credentials", "short-Secret-17", "short-Secret-17" },
        { "project/settings.xml", "<settings>\n  <servers>\n    <server>\n      <id>nexus</id>\n      <username>ci</username>\n      <password>Mvn-Nexus-3</password>\n    </server>\n  </servers>\n</settings>\n", "credential-files.maven-settings", "Mvn-Nexus-3", "Mvn-Nexus-3" },
        { "src/NuGet.Config", "<configuration>\n  <packageSourceCredentials>\n    <acme>\n      <add key=\"Username\" value=\"ci\" />\n      <add key=\"ClearTextPassword\" value=\"NuGet-Feed-7\" />\n    </acme>\n  </packageSourceCredentials>\n</configuration>\n", "credential-files.nuget-config", "NuGet-Feed-7", "NuGet-Feed-7" },
        { "home/dev/.config/pip/pip.conf", "[global]\nindex-url = https://ci:Pip-Idx-44@pypi.acme.io/simple\n", "credential-files.pip-config", "Pip-Idx-44", "Pip-Idx-44" },
        { "home/dev/.pypirc", "[distutils]\nindex-servers = acme\n\n[acme]\nrepository = https://pypi.acme.io/\nusername = ci\npassword = Pypirc-Up-12\n", "credential-files.pip-config", "Pypirc-Up-12", "Pypirc-Up-12" },
        { "home/dev/.kube/config", "apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    token: kube-Tok3n-LGrcQ9x2Vb7Zk\n", "credential-files.kubeconfig", "kube-Tok3n-LGrcQ9x2Vb7Zk", "kube-Tok3n-LGrcQ9x2Vb7Zk" },
        { "ops/prod.kubeconfig", "users:\n- name: admin\n  user:\n    client-certificate-data: TEdyYw==\n    client-key-data: " + B64("-----BEGIN EC PRIVATE KEY-----") + "\n", "credential-files.kubeconfig", B64("-----BEGIN EC PRIVATE KEY-----"), B64("-----BEGIN EC PRIVATE KEY-----") },
        { "infra/terraform.tfstate", "{\n  \"version\": 4,\n  \"resources\": [\n    {\n      \"type\": \"aws_db_instance\",\n      \"instances\": [\n        {\n          \"attributes\": {\n            \"identifier\": \"orders\",\n            \"password\": \"Tf-State-Db-9\"\n          }\n        }\n      ]\n    }\n  ]\n}\n", "credential-files.terraform-state", "Tf-State-Db-9", "Tf-State-Db-9" },
        { "site/sftp-config.json", "{\n    \"type\": \"sftp\",\n    \"host\": \"web.acme.io\",\n    \"user\": \"deploy\",\n    \"password\": \"Sftp-Deploy-1\",\n}\n", "credential-files.sftp-config", "Sftp-Deploy-1", "Sftp-Deploy-1" },
        { "home/dev/.config/rclone/rclone.conf", "[backup]\ntype = s3\naccess_key_id = AKIAIOSFODNN7LGRC0A3\nsecret_access_key = Rclone-Secret-Key-771\n", "credential-files.rclone", "Rclone-Secret-Key-771", "Rclone-Secret-Key-771" },
        { "project/.yarnrc.yml", "npmScopes:\n  acme:\n    npmRegistryServer: \"https://npm.acme.io\"\n    npmAuthToken: \"Yarn-Auth-Tok-5150\"\n", "credential-files.yarnrc", "Yarn-Auth-Tok-5150", "Yarn-Auth-Tok-5150" },
        { "home/dev/.cargo/credentials.toml", "[registries.acme]\ntoken = \"Cargo-Acme-Token-88\"\n", "credential-files.cargo-credentials", "Cargo-Acme-Token-88", "Cargo-Acme-Token-88" },
        { "app/config/master.key", "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a90\n", "credential-files.rails-master-key", "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a90", "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a90" },
        { "profile/logins.json", "{\"nextId\":2,\"logins\":[{\"id\":1,\"hostname\":\"https://intranet.acme.io\",\"encryptedUsername\":\"MDoEEPgAAAA=\",\"encryptedPassword\":\"MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECLGrc\"}]}\n", "credential-files.firefox-logins", "MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECLGrc", "MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECLGrc" },
        // A Windows answer file's password in plain text, and one Windows System Image Manager hid
        // (PlainText false): base64 of the UTF-16LE password with the element's name after it.
        { "deploy/Autounattend.xml", AnswerFile("<AdministratorPassword>\n          <Value>Adm1n-Plain-Pw-42</Value>\n          <PlainText>true</PlainText>\n        </AdministratorPassword>"), "credential-files.windows-answer-file", "Adm1n-Plain-Pw-42", "Adm1n-Plain-Pw-42" },
        { "Windows/Panther/unattend.xml", AnswerFile("<AdministratorPassword>\n          <Value>" + Hidden("Adm1n-Hidden-7", "AdministratorPassword") + "</Value>\n          <PlainText>false</PlainText>\n        </AdministratorPassword>"), "credential-files.windows-answer-file", Hidden("Adm1n-Hidden-7", "AdministratorPassword"), "Adm1n-Hidden-7" },
        { "Windows/System32/Sysprep/unattend.xml", AnswerFile("<AutoLogon>\n          <Password>\n            <Value>" + Hidden("Aut0-Logon-Pw!", "Password") + "</Value>\n            <PlainText>false</PlainText>\n          </Password>\n          <Enabled>true</Enabled>\n          <Username>Administrator</Username>\n        </AutoLogon>"), "credential-files.windows-answer-file", Hidden("Aut0-Logon-Pw!", "Password"), "Aut0-Logon-Pw!" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_credential_file_format_reports_its_credential_where_it_is_written(string path, string content, string rule, string text, string secret)
    {
        AssertReported(path, content, rule, text, secret);
    }

    [Fact]
    public void Every_registry_of_a_docker_config_is_reported()
    {
        string content = "{\n\t\"auths\": {\n\t\t\"a.acme.io\": { \"auth\": \"" + B64("u:First-Reg-1") + "\" },\n\t\t\"b.acme.io\": { \"auth\": \"" + B64("u:Second-Reg-2") + "\" }\n\t}\n}\n";
        var digests = Reported("home/dev/.docker/config.json", content, "credential-files.docker-config").Select(f => f.SecretDigest);
        Assert.Equal(new[] { "First-Reg-1", "Second-Reg-2" }.Select(FingerprintKey.Ephemeral.Digest).Order(StringComparer.Ordinal), digests.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_git_credentials_file_written_by_git_credential_store_is_read_with_its_url_encoding()
    {
        string home = CoreTestKit.TempDirectory();
        string file = Path.Combine(home, ".git-credentials");
        // A user that is an e-mail address and a password with characters git percent-encodes.
        CoreTestKit.RunWithInput(home, "protocol=https\nhost=git.acme.io\nusername=ci@acme.io\npassword=p@ss/w0rd:9\n\n",
            "git", "credential-store", "--file", file, "store");
        string content = File.ReadAllText(file);
        Assert.Contains("ci%40acme.io", content);
        string text = content[(content.IndexOf(':', "https://".Length) + 1)..content.LastIndexOf('@')];
        AssertReported("home/dev/.git-credentials", content, "credential-files.git-credentials", text, "p@ss/w0rd:9");
    }

    [Fact]
    public void An_htpasswd_file_written_by_htpasswd_reports_each_users_hash()
    {
        string dir = CoreTestKit.TempDirectory();
        string file = Path.Combine(dir, ".htpasswd");
        CoreTestKit.Run(dir, "htpasswd", "-c", "-b", "-B", file, "alice", "Alice-Htpw-1");
        CoreTestKit.Run(dir, "htpasswd", "-b", "-m", file, "bob", "Bob-Htpw-2");
        string content = File.ReadAllText(file);
        var findings = Reported("site/.htpasswd", content, "credential-files.htpasswd");
        Assert.Equal(2, findings.Count);
        foreach (var (user, line) in new[] { ("alice", 1), ("bob", 2) })
        {
            string hash = content.Split('\n')[line - 1].Split(':', 2)[1];
            var finding = Assert.Single(findings, f => f.SecretDigest == FingerprintKey.Ephemeral.Digest(hash));
            Assert.Equal((line, user.Length + 2), (finding.Location.Line, finding.Location.Column));
        }
    }

    [Theory]
    [InlineData("home/dev/.pgpass", "*:*:*:app:${PGPASSWORD}\n")]
    [InlineData("project/.npmrc", "//npm.acme.io/:_authToken=${NPM_TOKEN}\n")]
    [InlineData("project/settings.xml", "<settings><servers><server><id>n</id><password>${env.NEXUS_PASSWORD}</password></server></servers></settings>\n")]
    [InlineData("project/settings.xml", "<settings><servers><server><id>n</id><password>{COQLCE6DU6GtcS5P=}</password></server></servers></settings>\n")]
    [InlineData("src/NuGet.Config", "<configuration><packageSourceCredentials><acme><add key=\"ClearTextPassword\" value=\"%FEED_PASSWORD%\" /></acme></packageSourceCredentials></configuration>\n")]
    [InlineData("home/dev/.docker/config.json", "{\"auths\":{\"ghcr.io\":{}},\"credsStore\":\"desktop\"}\n")]
    [InlineData("project/.yarnrc.yml", "npmAuthToken: \"${NPM_AUTH_TOKEN}\"\n")]
    public void References_and_credential_helpers_in_credential_files_are_not_reported(string path, string content)
    {
        Assert.DoesNotContain(_builtIn.Scan(path, content), f => f.Kind == FindingKind.Secret && f.RuleId.StartsWith("credential-files.", StringComparison.Ordinal));
    }

    [Theory]
    // What Windows Setup writes over the passwords of the answer file it keeps after sysprep.
    [InlineData("Windows/Panther/unattend.xml", "<AdministratorPassword>\n          <Value>*SENSITIVE*DATA*DELETED*</Value>\n          <PlainText>true</PlainText>\n        </AdministratorPassword>")]
    [InlineData("Windows/Panther/Unattend/unattend.xml", "<LocalAccounts>\n          <LocalAccount>\n            <Password>\n              <Value>*SENSITIVE*DATA*DELETED*</Value>\n              <PlainText>false</PlainText>\n            </Password>\n            <Name>ops</Name>\n          </LocalAccount>\n        </LocalAccounts>")]
    [InlineData("deploy/autounattend.xml", "<AdministratorPassword>\n          <Value />\n          <PlainText>true</PlainText>\n        </AdministratorPassword>")]
    public void A_windows_answer_file_with_its_passwords_deleted_or_empty_reports_nothing(string path, string settings)
    {
        // Nor is <settings pass="oobeSystem"> a password: it names the configuration pass.
        Assert.DoesNotContain(_builtIn.Scan(path, AnswerFile(settings)), f => f.Kind == FindingKind.Secret);
    }

    [Fact]
    public void The_configuration_pass_of_a_windows_answer_file_is_not_a_password()
    {
        string content = AnswerFile("<AdministratorPassword>\n          <Value>Adm1n-Plain-Pw-42</Value>\n          <PlainText>true</PlainText>\n        </AdministratorPassword>")
            .Replace("<settings pass=\"oobeSystem\">", "<settings pass=\"windowsPE\">\n  </settings>\n  <settings pass=\"specialize\">\n  </settings>\n  <settings pass=\"oobeSystem\">", StringComparison.Ordinal);
        // Under any file name: the generic rules judge the attribute wherever it appears.
        foreach (string path in new[] { "deploy/autounattend.xml", "deploy/win11-answers.xml" })
        {
            var findings = _builtIn.Scan(path, content).Where(f => f.Kind == FindingKind.Secret).ToList();
            Assert.DoesNotContain(findings, f => new[] { "windowsPE", "specialize", "oobeSystem" }.Select(FingerprintKey.Ephemeral.Digest).Contains(f.SecretDigest));
        }
        Assert.Single(Reported("deploy/autounattend.xml", content, "credential-files.windows-answer-file"));
    }

    [Theory]
    // Maven's shipped settings.xml documents its elements in comments, a server block among them.
    [InlineData("project/settings.xml", "<settings>\n  <servers>\n    <!-- server\n     | Specifies the authentication information.\n     |\n    <server>\n      <id>deploymentRepo</id>\n      <username>repouser</username>\n      <password>Repo-Pwd-41</password>\n    </server>\n    -->\n    <server>\n      <id>nexus</id>\n      <password>Mvn-Nexus-3</password>\n    </server>\n  </servers>\n</settings>\n", "credential-files.maven-settings")]
    [InlineData("src/NuGet.Config", "<configuration>\n  <packageSourceCredentials>\n    <acme>\n      <!-- <add key=\"ClearTextPassword\" value=\"Repo-Pwd-41\" /> -->\n      <add key=\"ClearTextPassword\" value=\"Mvn-Nexus-3\" />\n    </acme>\n  </packageSourceCredentials>\n</configuration>\n", "credential-files.nuget-config")]
    public void A_credential_the_file_comments_out_is_below_the_default_confidence_beside_the_one_in_force(string path, string content, string rule)
    {
        var finding = Assert.Single(Reported(path, content, rule));
        Assert.Equal(FingerprintKey.Ephemeral.Digest("Mvn-Nexus-3"), finding.SecretDigest);
        Assert.Equal(Confidence.High, finding.Confidence);
    }

    [Theory]
    [InlineData("home/dev/.docker/config.json", "{\"auths\": {\"a\": {\"auth\": \"")]
    [InlineData("infra/terraform.tfstate", "\u0000\u0001{{{[[[\"")]
    [InlineData("home/dev/.pgpass", "\u0000\u00ff\u00fe:::::::::\n::\n")]
    public void A_file_that_is_not_what_its_name_says_costs_at_most_one_warning(string path, string content)
    {
        var result = _builtIn.Session.Scan([SourceItem.InMemory(new Blob { Path = path, Content = Encoding.UTF8.GetBytes(content) })]).Result;
        Assert.True(result.Warnings.Count(w => w.Path == path) <= 1);
        Assert.DoesNotContain(result.Findings, f => f.RuleId.StartsWith("credential-files.", StringComparison.Ordinal));
    }

    private List<Finding> Reported(string path, string content, string rule) =>
        [.. _builtIn.Scan(path, content).Where(f => f.Kind == FindingKind.Secret && f.RuleId == rule)];

    private void AssertReported(string path, string content, string rule, string text, string secret)
    {
        var finding = Assert.Single(Reported(path, content, rule));
        Assert.Equal(FingerprintKey.Ephemeral.Digest(secret), finding.SecretDigest);
        int at = content.IndexOf(text, StringComparison.Ordinal);
        int line = content[..at].Count(c => c == '\n') + 1;
        int column = at - (at == 0 ? 0 : content.LastIndexOf('\n', at - 1) + 1) + 1;
        Assert.Equal((line, column), (finding.Location.Line, finding.Location.Column));
    }
}
