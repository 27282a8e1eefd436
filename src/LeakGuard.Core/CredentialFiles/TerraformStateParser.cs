using LeakGuard.Core.Precision;

namespace LeakGuard.Core.CredentialFiles;

/// <summary>
/// Terraform state (<c>terraform.tfstate</c>, <c>*.tfstate.backup</c>) holds every attribute of
/// every resource in clear text. Reported: the attributes an instance lists in its
/// <c>sensitive_attributes</c>, attributes whose name names a secret (<c>password</c>,
/// <c>private_key_pem</c>, <c>secret</c>, <c>ses_smtp_password_v4</c>), the <c>result</c> of a
/// <c>random_password</c>, and the value of an output marked <c>sensitive</c>.
/// </summary>
internal sealed class TerraformStateParser : ICredentialFileParser
{
    public string Name => "terraform-state";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found)
    {
        // An instance's sensitive_attributes, and an output's "sensitive", come after the values
        // they mark: read the marks first.
        var sensitive = new HashSet<(int Resource, int Instance, string Attribute)>();
        var types = new Dictionary<int, string>();
        var sensitiveOutputs = new HashSet<string>(StringComparer.Ordinal);
        string? error = JsonStrings.Read(file, value =>
        {
            var path = value.Path;
            if (path.Count == 2 && path[0] == "resources" && path[1] == "type")
            {
                types[value.Indices[0]] = value.Value;
            }
            else if (path.Count == 4 && path[0] == "resources" && path[2] == "sensitive_attributes" && path[3] == "value" && value.Indices.Count >= 2)
            {
                sensitive.Add((value.Indices[0], value.Indices[1], value.Value));
            }
            else if (path.Count == 3 && path[0] == "outputs" && path[2] == "sensitive" && value.Value == "true")
            {
                sensitiveOutputs.Add(path[1]);
            }
        }, withTrue: true);
        if (error is not null)
        {
            return error;
        }
        return JsonStrings.Read(file, value =>
        {
            var path = value.Path;
            if (path.Count >= 3 && path[0] == "outputs" && path[2] == "value" && sensitiveOutputs.Contains(path[1]))
            {
                found.Add(new ParsedCredential(value.Start, value.Length, value.Value));
                return;
            }
            if (path.Count < 4 || path[0] != "resources" || path[1] != "instances" || path[2] != "attributes" || value.Indices.Count < 2)
            {
                return;
            }
            int resource = value.Indices[0], instance = value.Indices[1];
            bool named = KeyNames.Find(path[^1]) is { } key && !KeyNames.NamesMetadata(key) && !KeyNames.NamesPublicKey(key);
            bool listed = sensitive.Contains((resource, instance, path[3]));
            bool generated = path[3] == "result" && types.GetValueOrDefault(resource) == "random_password";
            if (named || listed || generated)
            {
                found.Add(new ParsedCredential(value.Start, value.Length, value.Value));
            }
        });
    }
}
