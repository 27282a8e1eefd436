namespace LeakGuard.Core.CredentialFiles;

/// <summary>Every credential-file parser, by the name rules give it in <c>parser:</c>.</summary>
public static class CredentialFileParsers
{
    private static readonly Dictionary<string, ICredentialFileParser> ByName = new ICredentialFileParser[]
    {
        new PgpassParser(),
        new NetrcParser(),
        new GitCredentialsParser(),
        new FileZillaParser(),
        new DockerConfigParser(),
        new NpmrcParser(),
        new IniKeysParser("s3cfg", "=", "secret_key", "gpg_passphrase", "access_token", "proxy_password"),
        new IniKeysParser("aws-credentials", "=", "aws_secret_access_key", "aws_session_token", "aws_security_token"),
        new IniKeysParser("rclone", "=", "pass", "password", "password2", "key_file_pass", "secret_access_key", "session_token",
            "client_secret", "token", "key", "account_key", "sas_url", "bearer_token", "api_key", "access_token"),
        new IniKeysParser("cargo-credentials", "=", "token"),
        new HtpasswdParser(),
        new ShadowParser(),
        new MavenSettingsParser(),
        new NuGetConfigParser(),
        new PipConfigParser(),
        new YamlKeysParser("kubeconfig", "token", "password", "client-key-data", "access-token", "refresh-token", "client-secret", "id-token"),
        new YamlKeysParser("github-cli", "oauth_token"),
        new TerraformStateParser(),
        new SftpConfigParser(),
        new YarnrcParser(),
        new RailsMasterKeyParser(),
        new FirefoxLoginsParser(),
        new WindowsAnswerFileParser(),
    }.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public static IEnumerable<string> Names => ByName.Keys.Order(StringComparer.Ordinal);

    public static bool Exists(string name) => ByName.ContainsKey(name);

    public static ICredentialFileParser Get(string name) => ByName[name];
}
