namespace LeakGuard.Core.CredentialFiles;

/// <summary>Registry credentials in Docker's <c>~/.docker/config.json</c> (every entry of
/// <c>auths</c>), the legacy <c>~/.dockercfg</c> (registries at the top level) and Podman's
/// <c>containers/auth.json</c>: <c>auth</c> is base64 of <c>user:password</c>; <c>password</c>,
/// <c>identitytoken</c> and <c>registrytoken</c> are plain.</summary>
internal sealed class DockerConfigParser : ICredentialFileParser
{
    public string Name => "docker-config";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found) => JsonStrings.Read(file, value =>
    {
        switch (value.Name)
        {
            case "auth":
                if (EncodedText.Base64(value.Value) is { } decoded && EncodedText.PasswordOf(decoded) is { Length: > 0 } password)
                {
                    found.Add(new ParsedCredential(value.Start, value.Length, password, "base64"));
                }
                break;
            case "password" or "identitytoken" or "registrytoken":
                found.Add(new ParsedCredential(value.Start, value.Length, value.Value));
                break;
        }
    });
}
