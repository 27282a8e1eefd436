using System.Text;
using System.Text.RegularExpressions;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;
using Microsoft.AspNetCore.Http;

namespace LeakGuard.Validation.Tests;

/// <summary>
/// Every built-in validator against its provider's documented request and answers: the provider
/// (faked on 127.0.0.1) accepts the credential only where its documentation says to send it, and
/// answers with its documented "who am I" document or its documented refusal. A validator that
/// sends the secret elsewhere, calls another path or reads the wrong fields fails here.
/// </summary>
public sealed class BuiltInValidatorTests : IAsyncLifetime
{
    /// <summary>How the provider documents the credential is sent, its documented answer to a
    /// working one (and a header it adds), what the validator should then say, and its refusal.</summary>
    private sealed record Provider(string Auth, string LiveBody, string Expected, int InvalidStatus, string InvalidBody,
        (string Name, string Value)? LiveHeader = null, int LiveStatus = 200);

    private const string SlackLive = """{"ok":true,"url":"https://subarachnoid.slack.com/","team":"Subarachnoid Workspace","user":"grace","team_id":"T12345678","user_id":"W12345678"}""";
    private const string StripeAccount = """{"id":"acct_1032D82eZvKYlo2C","object":"account","business_profile":{"name":"Acme"},"email":"site@stripe.com"}""";
    private const string StripeRefusal = """{"error":{"message":"Invalid API Key provided: sk_live_****","type":"invalid_request_error"}}""";
    private const string GitHubUser = """{"login":"octocat","id":1,"type":"User"}""";

    private static readonly Dictionary<string, Provider> Providers = new()
    {
        ["github.pat"] = new("Bearer", GitHubUser, "live login=octocat id=1 scopes=repo,gist", 401, """{"message":"Bad credentials"}""", ("X-OAuth-Scopes", "repo, gist")),
        ["github.oauth-app-token"] = new("Bearer", GitHubUser, "live login=octocat id=1", 401, """{"message":"Bad credentials"}"""),
        ["gitlab.pat"] = new("header:PRIVATE-TOKEN", """{"id":4,"name":"Test Token","revoked":false,"scopes":["api","read_user"],"user_id":3,"active":true}""",
            "live name=Test Token user_id=3 scopes=api,read_user", 401, """{"message":"401 Unauthorized"}"""),
        ["slack.bot-token"] = new("Bearer", SlackLive, "live user=grace user_id=W12345678 team=Subarachnoid Workspace team_id=T12345678", 200, """{"ok":false,"error":"invalid_auth"}"""),
        ["slack.user-token"] = new("Bearer", SlackLive, "live user=grace user_id=W12345678 team=Subarachnoid Workspace team_id=T12345678", 200, """{"ok":false,"error":"token_revoked"}"""),
        ["stripe.live-secret-key"] = new("basic-user", StripeAccount, "live account=acct_1032D82eZvKYlo2C email=site@stripe.com business=Acme", 401, StripeRefusal),
        ["stripe.test-secret-key"] = new("basic-user", StripeAccount, "live account=acct_1032D82eZvKYlo2C email=site@stripe.com business=Acme", 401, StripeRefusal),
        ["openai.api-key"] = new("Bearer", """{"object":"list","data":[{"id":"gpt-4o","object":"model"}]}""", "live organization=user-abc123", 401,
            """{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}""", ("openai-organization", "user-abc123")),
        ["openai.admin-key"] = new("Bearer", """{"object":"list","data":[{"id":"proj_abc","object":"organization.project","name":"Project example","status":"active"}],"has_more":false}""",
            "live project=Project example", 401, """{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}"""),
        ["anthropic.api-key"] = new("header:x-api-key", """{"data":[{"id":"claude-sonnet-4-20250514","type":"model"}],"has_more":false}""", "live", 401,
            """{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"""),
        ["anthropic.admin-key"] = new("header:x-api-key", """{"id":"12345678-1234-5678-1234-567812345678","type":"organization","name":"Acme"}""",
            "live organization=Acme id=12345678-1234-5678-1234-567812345678", 401, """{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"""),
        ["package-registries.npm-token"] = new("Bearer", """{"username":"npmuser"}""", "live username=npmuser", 401, """{"error":"Unauthorized"}"""),
        ["package-registries.rubygems-api-key"] = new("raw", """{"id":1,"handle":"gem-author"}""", "live handle=gem-author id=1", 401, "Access Denied. Please sign up for an account at https://rubygems.org"),
        ["sendgrid.api-key"] = new("Bearer", """{"scopes":["mail.send","alerts.read"]}""", "live scopes=mail.send,alerts.read", 401, """{"errors":[{"field":null,"message":"authorization required"}]}"""),
        ["huggingface.access-token"] = new("Bearer", """{"type":"user","name":"julien","auth":{"accessToken":{"displayName":"ci","role":"read"}}}""", "live name=julien type=user scopes=read", 401,
            """{"error":"Invalid credentials in Authorization header"}"""),
        ["digitalocean.token"] = new("Bearer", """{"account":{"email":"sammy@digitalocean.com","uuid":"b6fr89dbf6d9156cace5f3c78dc9851d957381ef","team":{"uuid":"5df3e3004a17e242b7c20ca6c9fc25b701a47ece","name":"My Team"},"status":"active"}}""",
            "live email=sammy@digitalocean.com uuid=b6fr89dbf6d9156cace5f3c78dc9851d957381ef team=My Team", 401, """{"id":"Unauthorized","message":"Unable to authenticate you."}"""),
        ["discord.bot-token"] = new("Bot", """{"id":"80351110224678912","username":"Nelly","bot":true}""", "live username=Nelly id=80351110224678912", 401, """{"message":"401: Unauthorized","code":0}"""),
        ["telegram.bot-token"] = new("path", """{"ok":true,"result":{"id":123456789,"is_bot":true,"first_name":"Ci","username":"ci_bot"}}""", "live username=ci_bot id=123456789", 401,
            """{"ok":false,"error_code":401,"description":"Unauthorized"}"""),
        ["sentry.auth-token"] = new("Bearer", """[{"id":"2","slug":"the-interstellar-jurisdiction","name":"The Interstellar Jurisdiction"}]""", "live organization=the-interstellar-jurisdiction", 401, """{"detail":"Invalid token"}"""),
        ["postman.api-key"] = new("header:X-Api-Key", """{"user":{"id":12345678,"username":"taylor-lee","email":"taylor.lee@example.com","fullName":"Taylor Lee"}}""",
            "live username=taylor-lee id=12345678 email=taylor.lee@example.com", 401, """{"error":{"name":"AuthenticationError","message":"Invalid API Key."}}"""),
        ["heroku.api-key"] = new("Bearer", """{"email":"username@example.com","id":"01234567-89ab-cdef-0123-456789abcdef"}""", "live email=username@example.com id=01234567-89ab-cdef-0123-456789abcdef", 401,
            """{"id":"unauthorized","message":"Invalid credentials provided."}"""),
        ["twilio.auth-token"] = new("basic-pair", """{"sid":"AC5fc467fe93e81dd58a0c1f9a51bb5d9f","friendly_name":"Acme Prod","status":"active","type":"Full"}""",
            "live account=AC5fc467fe93e81dd58a0c1f9a51bb5d9f name=Acme Prod status=active", 401,
            """{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}"""),
        ["mailgun.api-key"] = new("basic-api", """{"total_count":1,"items":[{"name":"mg.example.com","state":"active"}]}""", "live domain=mg.example.com", 401, "Forbidden"),
        ["datadog.api-key"] = new("header:DD-API-KEY", """{"valid":true}""", "live", 403, """{"errors":["Forbidden"]}"""),
        ["notion.integration-token"] = new("Bearer", """{"object":"user","id":"16d84278-ab0e-484c-9bdd-b35da3bd8905","name":"pied piper","type":"bot","bot":{"owner":{"type":"workspace","workspace":true},"workspace_name":"Pied Piper"}}""",
            "live name=pied piper id=16d84278-ab0e-484c-9bdd-b35da3bd8905 workspace=Pied Piper", 401, """{"object":"error","status":401,"code":"unauthorized","message":"API token is invalid."}"""),
        ["vercel.token"] = new("Bearer", """{"user":{"id":"AEIIDYVk59zbFF2Sxfyxxmua","email":"me@example.com","username":"jdoe"}}""", "live username=jdoe email=me@example.com id=AEIIDYVk59zbFF2Sxfyxxmua", 403,
            """{"error":{"code":"forbidden","message":"Not authorized","invalidToken":true}}"""),
        ["cloudflare.api-credential"] = new("Bearer", """{"success":true,"errors":[],"messages":[],"result":{"id":"ed17574386854bf78a67040be0a770b0","status":"active"}}""",
            "live token_id=ed17574386854bf78a67040be0a770b0 status=active", 401, """{"success":false,"errors":[{"code":1000,"message":"Invalid API Token"}],"messages":[],"result":null}"""),
        ["groq.api-key"] = new("Bearer", """{"object":"list","data":[{"id":"llama-3.3-70b-versatile"}]}""", "live", 401, """{"error":{"message":"Invalid API Key","code":"invalid_api_key"}}"""),
        ["replicate.api-token"] = new("Bearer", """{"type":"user","username":"aron","name":"Aron Carroll"}""", "live username=aron type=user", 401, """{"title":"Unauthenticated","status":401}"""),
        ["airtable.pat"] = new("Bearer", """{"id":"usrL2PNC5o3H4lBEi","email":"foo@bar.com","scopes":["data.records:read","schema.bases:read"]}""",
            "live id=usrL2PNC5o3H4lBEi email=foo@bar.com scopes=data.records:read,schema.bases:read", 401, """{"error":{"type":"AUTHENTICATION_REQUIRED","message":"Authentication required"}}"""),
        ["figma.pat"] = new("header:X-Figma-Token", """{"id":"1234","email":"a@b.com","handle":"Figma User"}""", "live handle=Figma User email=a@b.com id=1234", 403, """{"status":403,"err":"Invalid token"}"""),
        ["doppler.token"] = new("Bearer", """{"workplace":{"slug":"acme","name":"Acme"},"type_":"personal","name":"laptop"}""", "live name=laptop type=personal workplace=Acme", 401,
            """{"messages":["Invalid Auth token"],"success":false}"""),
        ["xai.api-key"] = new("Bearer", """{"redacted_api_key":"xai-...abcd","name":"ci key","team_id":"team-1","acls":["api-key:model:*","api-key:endpoint:*"],"api_key_blocked":false}""",
            "live name=ci key team=team-1 scopes=api-key:model:*,api-key:endpoint:*", 400, """{"code":"Client specified an invalid argument","error":"Incorrect API key provided"}"""),
        ["openrouter.api-key"] = new("Bearer", """{"data":{"label":"sk-or-v1-0e6...1c96","usage":0,"limit":null,"is_free_tier":false}}""", "live label=sk-or-v1-0e6...1c96", 401,
            """{"error":{"message":"No auth credentials found","code":401}}"""),
        ["buildkite.token"] = new("Bearer", """{"uuid":"b63254c0-3271-4a98-8270-7cfbd6c2f14e","scopes":["read_builds","read_pipelines"]}""",
            "live uuid=b63254c0-3271-4a98-8270-7cfbd6c2f14e scopes=read_builds,read_pipelines", 401, """{"message":"Authentication required."}"""),
        ["circleci.api-token"] = new("header:Circle-Token", """{"id":"2b4a2ff0-1b4e-4b43-9c4d-3f1e2a4b5c6d","login":"octocat","name":"The Octocat"}""",
            "live login=octocat name=The Octocat id=2b4a2ff0-1b4e-4b43-9c4d-3f1e2a4b5c6d", 401, """{"message":"You must log in first."}"""),
        ["square.access-token"] = new("Bearer", """{"merchant":{"id":"DM7VKY8Q63GNP","business_name":"Apple A Day","country":"US","status":"ACTIVE"}}""",
            "live merchant=DM7VKY8Q63GNP business=Apple A Day", 401, """{"errors":[{"category":"AUTHENTICATION_ERROR","code":"UNAUTHORIZED"}]}"""),
        ["typeform.pat"] = new("Bearer", """{"alias":"xyz","email":"xyz@typeform.com","language":"en","user_id":"01ABC"}""", "live alias=xyz email=xyz@typeform.com user_id=01ABC", 401,
            """{"code":"AUTHENTICATION_FAILED","description":"Authentication credentials not found on the Request Headers"}"""),
        ["brevo.api-key"] = new("header:api-key", """{"email":"john.smith@example.com","firstName":"John","companyName":"MyCompany"}""", "live email=john.smith@example.com company=MyCompany", 401,
            """{"code":"unauthorized","message":"Key not found"}"""),
        ["pulumi.access-token"] = new("token", """{"name":"Jane","githubLogin":"jane"}""", "live name=Jane login=jane", 401, """{"code":401,"message":"Unauthorized"}"""),
        ["tailscale.api-key"] = new("Bearer", """{"keys":[{"id":"k123"}]}""", "live", 401, """{"message":"API token invalid"}"""),
        ["resend.api-key"] = new("Bearer", """{"data":[{"id":"d91cd9bd-1176-453e-8fc1-35364d380206","name":"example.com","status":"verified"}]}""", "live", 400,
            """{"statusCode":400,"message":"API key is invalid","name":"validation_error"}"""),
        ["package-registries.dockerhub-pat"] = new("json-identifier-secret", """{"access_token":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"}""", "live", 401,
            """{"errinfo":{},"detail":"incorrect username or password","message":"incorrect username or password"}"""),
        ["package-registries.dockerhub-org-token"] = new("json-identifier-secret", """{"access_token":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"}""", "live", 401,
            """{"errinfo":{},"detail":"incorrect username or password","message":"incorrect username or password"}"""),
        ["shopify.access-token"] = new("header:X-Shopify-Access-Token", """{"access_scopes":[{"handle":"read_products"},{"handle":"write_orders"}]}""", "live scopes=read_products,write_orders", 401,
            """{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}"""),
        // A live webhook refuses the unparseable body (posting nothing); a dead one is refused before that.
        ["slack.webhook-url"] = new("url-not-json", "invalid_payload", "live", 404, "no_service", LiveStatus: 400),
        ["asana.pat"] = new("Bearer", """{"data":{"gid":"12345","email":"gsanchez@example.com","name":"Greg Sanchez","resource_type":"user"}}""", "live name=Greg Sanchez email=gsanchez@example.com gid=12345", 401,
            """{"errors":[{"message":"Not Authorized"}]}"""),
        ["clickup.api-token"] = new("raw", """{"user":{"id":123,"username":"John Doe","email":"johndoe@gmail.com","color":"#000000"}}""", "live username=John Doe email=johndoe@gmail.com id=123", 401,
            """{"err":"Token invalid","ECODE":"OAUTH_025"}"""),
        ["hubspot.private-app-token"] = new("Bearer", """{"portalId":123456,"accountType":"STANDARD","timeZone":"US/Eastern","companyCurrency":"USD"}""", "live portal_id=123456 account_type=STANDARD", 401,
            """{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}"""),
        ["netlify.access-token"] = new("Bearer", """{"id":"5a1b2c3d4e","email":"jdoe@example.com","full_name":"Jane Doe","slug":"jdoe"}""", "live email=jdoe@example.com name=Jane Doe id=5a1b2c3d4e", 401,
            """{"code":401,"message":"Access Denied: Invalid token"}"""),
        ["linode.token"] = new("Bearer", """{"username":"exampleUser","email":"example-user@gmail.com","uid":1234,"restricted":false}""", "live username=exampleUser email=example-user@gmail.com uid=1234", 401,
            """{"errors":[{"reason":"Invalid Token"}]}"""),
        ["vultr.api-key"] = new("Bearer", """{"account":{"name":"Example Account","email":"admin@example.com","acls":["manage_users","subscriptions","billing"],"balance":-5519.11}}""", "live name=Example Account email=admin@example.com scopes=manage_users,subscriptions,billing", 401,
            """{"error":"Invalid API token.","status":401}"""),
        ["render.api-key"] = new("Bearer", """{"email":"jdoe@example.com","name":"Jane Doe"}""", "live email=jdoe@example.com name=Jane Doe", 401,
            """{"id":"unauthorized","message":"unauthorized"}"""),
        ["intercom.access-token"] = new("Bearer", """{"type":"admin","id":"1295","name":"Joe Example","email":"jdoe@example.com","app":{"type":"app","id_code":"this_is_an_id","name":"MyApp"}}""", "live name=Joe Example email=jdoe@example.com workspace=MyApp", 401,
            """{"type":"error.list","errors":[{"code":"unauthorized","message":"Access Token Invalid"}]}"""),
        ["snyk.api-token"] = new("token", """{"jsonapi":{"version":"1.0"},"data":{"type":"user","id":"55a348e2-c3ad-4bbc-b40e-9b232d1f4121","attributes":{"name":"Jane Doe","username":"jdoe","email":"jdoe@example.com"}}}""", "live username=jdoe name=Jane Doe id=55a348e2-c3ad-4bbc-b40e-9b232d1f4121", 401,
            """{"status":"401","code":"Unauthorized"}"""),
        ["fastly.api-token"] = new("header:Fastly-Key", """{"id":"5Yo3XXnrQpjc20u0ybrf2g","user_id":"x9KzsrACXZv8tPwlEDsKb6","name":"ci deploy","scope":"global:read purge_select","services":[]}""", "live name=ci deploy user_id=x9KzsrACXZv8tPwlEDsKb6 scopes=global:read,purge_select", 401,
            """{"msg":"Provided credentials are missing or invalid"}"""),
        ["mapbox.secret-token"] = new("path", """{"code":"TokenValid","token":{"usage":"sk","user":"mapbox","authorization":"cijucimbe000brbkt48d0dhcx","client":"api","scopes":["styles:read","fonts:read"]}}""", "live user=mapbox usage=sk scopes=styles:read,fonts:read", 401,
            """{"code":"TokenInvalid","message":"Not Authorized - Invalid Token"}"""),
        ["mistral.api-key"] = new("Bearer", """{"object":"list","data":[{"id":"mistral-small-latest","object":"model"}]}""", "live", 401,
            """{"message":"Unauthorized"}"""),
        ["deepseek.api-key"] = new("Bearer", """{"object":"list","data":[{"id":"deepseek-chat","object":"model","owned_by":"deepseek"}]}""", "live", 401,
            """{"error":{"message":"Authentication Fails","type":"authentication_error"}}"""),
        ["cohere.api-key"] = new("Bearer", """{"models":[{"name":"command-r-plus","endpoints":["chat"]}],"next_page_token":"x"}""", "live", 401,
            """{"message":"invalid api token"}"""),
        ["together.api-key"] = new("Bearer", """[{"id":"meta-llama/Llama-3.3-70B-Instruct-Turbo","object":"model","type":"chat"}]""", "live", 401,
            """{"error":{"message":"Invalid API key provided","code":"invalid_api_key"}}"""),
        ["hashicorp.terraform-cloud-token"] = new("Bearer", """{"data":{"id":"user-V3R563qtJNcExAkN","type":"users","attributes":{"username":"admin","email":"admin@hashicorp.com","is-service-account":false}}}""", "live username=admin email=admin@hashicorp.com id=user-V3R563qtJNcExAkN", 401,
            """{"errors":[{"status":"401","title":"unauthorized"}]}"""),
        ["contentful.pat"] = new("Bearer", """{"email":"dwight@dundermifflin.com","firstName":"Dwight","lastName":"Schrute","sys":{"id":"exampleuserid","type":"User"}}""", "live email=dwight@dundermifflin.com name=Dwight id=exampleuserid", 401,
            """{"sys":{"type":"Error","id":"AccessTokenInvalid"},"message":"The access token you sent could not be found or is invalid."}"""),
        ["launchdarkly.access-token"] = new("raw", """{"accountId":"57df4a63bd13620715000002","authKind":"token","tokenKind":"api","tokenName":"ci reader","tokenId":"5f9b4f2e1a2b3c4d5e6f7a8b"}""", "live account=57df4a63bd13620715000002 token=ci reader kind=api", 401,
            """{"code":"unauthorized","message":"Invalid access token"}"""),
        ["opsgenie.api-key"] = new("GenieKey", """{"data":{"name":"opsgenie","userCount":1450,"plan":{"maxUserCount":1500,"name":"Enterprise"}},"took":0.014,"requestId":"9ae63dd7-ed00-4c81-86f0-c4ffd33142c9"}""", "live account=opsgenie", 401,
            """{"message":"Could not authenticate","took":0.0,"requestId":"6d1a9c28-0000-0000-0000-000000000000"}"""),
        ["calendly.personal-access-token"] = new("Bearer", """{"resource":{"uri":"https://api.calendly.com/users/AAAAAAAAAAAAAAAA","name":"John Doe","slug":"acmesales","email":"user@example.com","current_organization":"https://api.calendly.com/organizations/AAAAAAAAAAAAAAAA"}}""", "live name=John Doe email=user@example.com", 401,
            """{"title":"Unauthenticated","message":"The access token is invalid"}"""),
        ["bitly.access-token"] = new("Bearer", """{"login":"bitlyapioauthdemo","name":"Bitly API Demo","is_active":true,"default_group_guid":"Ba1bc23dE4F"}""", "live login=bitlyapioauthdemo name=Bitly API Demo", 403,
            """{"message":"FORBIDDEN","resource":"user","description":"You are currently forbidden to access this resource."}"""),
        ["pinecone.api-key"] = new("header:Api-Key", """{"indexes":[{"name":"example-index","metric":"cosine","host":"example-index-fa77d8e.svc.aped-4627-b74a.pinecone.io","status":{"ready":true,"state":"Ready"}}]}""", "live", 401,
            """{"error":{"code":"UNAUTHENTICATED","message":"Invalid API Key"},"status":401}"""),
        ["webflow.api-token"] = new("Bearer", """{"authorization":{"id":"55818d58616600637b9a5786","createdOn":"2016-10-03T23:12:00.755Z","grantType":"client_credentials","lastUsed":"2016-10-10T21:41:12.736Z","rateLimit":60,"scope":"sites:read","authorizedTo":{"siteIds":["62f3b1f4c8b6a0b7e2d3f4a5"],"workspaceIds":[],"userIds":[]}}}""", "live id=55818d58616600637b9a5786 grant=client_credentials", 401,
            """{"code":"not_authorized","message":"Request not authorized","externalReference":null,"details":[]}"""),
        ["atlassian.api-token"] = new("basic-pair", """{"accountId":"5b10a2844c20165700ede21g","emailAddress":"mia@example.com","displayName":"Mia Krystof","active":true,"accountType":"atlassian"}""", "live name=Mia Krystof email=mia@example.com account_id=5b10a2844c20165700ede21g", 401, "Client must be authenticated to access this resource."),
        ["atlassian.api-token-legacy"] = new("basic-pair", """{"accountId":"5b10a2844c20165700ede21g","emailAddress":"mia@example.com","displayName":"Mia Krystof","active":true,"accountType":"atlassian"}""", "live name=Mia Krystof email=mia@example.com account_id=5b10a2844c20165700ede21g", 401, "Client must be authenticated to access this resource."),
        ["dropbox.access-token"] = new("Bearer", """{"account_id":"dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc","name":{"given_name":"Franz","surname":"Ferdinand","familiar_name":"Franz","display_name":"Franz Ferdinand (Personal)"},"email":"franz@dropbox.com","email_verified":true}""", "live name=Franz Ferdinand (Personal) email=franz@dropbox.com account_id=dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc", 401,
            """{"error_summary":"invalid_access_token/...","error":{".tag":"invalid_access_token"}}"""),
        ["shortcut.api-token"] = new("header:Shortcut-Token", """{"id":"12345678-9012-3456-7890-123456789012","name":"Member Name","mention_name":"member","workspace2":{"url_slug":"acme","estimate_scale":[]}}""", "live name=Member Name mention_name=member workspace=acme", 401,
            """{"message":"Unauthorized"}"""),
        ["elevenlabs.api-key"] = new("header:xi-api-key", """{"user_id":"1234567890","subscription":{"tier":"starter"}}""", "live user_id=1234567890 tier=starter", 401,
            """{"detail":{"status":"invalid_api_key","message":"Invalid API key"}}"""),
    };

    private static readonly IReadOnlyDictionary<string, Rule> Rules = RuleLoader.LoadBuiltIn().ToDictionary(r => r.Id);

    /// <summary>The plain HTTP validators (signed ones have their own tests: <see cref="AwsStsValidatorTests"/>).</summary>
    private static IEnumerable<string> ValidatorIds => Rules.Values.Where(r => r.Validator is { Signer: null }).Select(r => r.Id).Order();

    public static TheoryData<string> Validators => [.. ValidatorIds];

    private FakeProviders _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeProviders.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public void Every_built_in_validator_has_its_provider_here()
    {
        Assert.Equal(Providers.Keys.Order(), ValidatorIds);
    }

    [Theory]
    [MemberData(nameof(Validators))]
    public async Task The_validator_asks_as_the_provider_documents_and_reads_its_answer(string ruleId)
    {
        var rule = Rules[ruleId];
        var spec = rule.Validator!;
        var provider = Providers[ruleId];
        string live = SecretOf(rule);
        // A key pair's other half: the first example of the rule that finds it.
        string? pair = spec.Pair is { } pairRule ? SecretOf(Rules[pairRule]) : null;
        string? host = spec.HostPair is { } hostRule ? SecretOf(Rules[hostRule]) : null;
        // The same shape with its last character changed: a token of the right form the provider refuses.
        string refused = live[..^1] + (live[^1] == 'a' ? 'b' : 'a');
        foreach (string secret in new[] { live, refused })
        {
            string path = spec.SecretIsUrl ? new Uri(secret).PathAndQuery : spec.Url.PathAndQuery.Replace(Uri.EscapeDataString(ValidatorSpec.SecretPlaceholder), HttpValidator.UrlEscaped(secret), StringComparison.Ordinal)
                .Replace(Uri.EscapeDataString(ValidatorSpec.PairPlaceholder), HttpValidator.UrlEscaped(pair ?? ""), StringComparison.Ordinal);
            _fake.Route(path, (request, _) =>
                request.Method == spec.Method && Presented(request, provider.Auth, live, path, pair)
                    ? Answer(provider.LiveStatus, provider.LiveBody, provider.LiveHeader)
                    : Answer(provider.InvalidStatus, provider.InvalidBody, null));
        }
        using var client = HttpValidator.CreateClient(_fake.Endpoints);
        var validator = new HttpValidator(client, _fake.Endpoints, new ValidationLimits { MaxRetries = 1, RetryDelay = TimeSpan.Zero });

        var accepted = await validator.ValidateAsync(spec, live, CancellationToken.None, pair, host);
        Assert.Equal(provider.Expected, accepted.Describe());
        var rejected = await validator.ValidateAsync(spec, refused, CancellationToken.None, pair, host);
        Assert.Equal(ValidationStatus.Invalid, rejected.Status);
        // The refused secret is asked at each of the provider's sites.
        Assert.Equal(2 + spec.Sites.Count, _fake.Requests.Count);
    }

    /// <summary>The secret in the first example the rule reports (its capture group).</summary>
    private static string SecretOf(Rule rule)
    {
        var pattern = new Regex(rule.Pattern!, RegexOptions.Multiline);
        var match = rule.Examples.Select(e => pattern.Match(e)).First(m => m.Success);
        return match.Groups.Count > 1 && match.Groups[1].Success ? match.Groups[1].Value : match.Value;
    }

    private static bool Presented(FakeProviders.Recorded request, string auth, string secret, string path, string? pair) => auth switch
    {
        "basic-pair" => request.Header("Authorization") == $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"{pair}:{secret}"))}",
        "Bearer" or "Bot" or "token" or "GenieKey" => request.Header("Authorization") == $"{auth} {secret}",
        "raw" => request.Header("Authorization") == secret,
        "basic-user" => request.Header("Authorization") == $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes(secret + ":"))}",
        "basic-api" => request.Header("Authorization") == $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("api:" + secret))}",
        "path" => path.Contains(HttpValidator.UrlEscaped(secret), StringComparison.Ordinal),
        // Docker Hub's "Create access token": the pair's user or organization name and the token, in JSON.
        "json-identifier-secret" => request.Header("Content-Type")?.StartsWith("application/json", StringComparison.Ordinal) == true
            && System.Text.Json.JsonDocument.Parse(request.Body).RootElement is var body
            && body.GetProperty("identifier").GetString() == pair && body.GetProperty("secret").GetString() == secret,
        // Slack's webhook: the URL is the secret; the body must not be a message (not even JSON).
        "url-not-json" => path == new Uri(secret).PathAndQuery && !IsJson(request.Body),
        _ when auth.StartsWith("header:", StringComparison.Ordinal) => request.Header(auth["header:".Length..]) == secret,
        _ => throw new ArgumentException(auth),
    };

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(text);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static IResult Answer(int status, string body, (string Name, string Value)? header) => new Documented(status, body, header);

    private sealed class Documented(int status, string body, (string Name, string Value)? header) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = body.StartsWith('{') || body.StartsWith('[') ? "application/json" : "text/plain";
            if (header is var (name, value))
            {
                context.Response.Headers[name] = value;
            }
            await context.Response.WriteAsync(body);
        }
    }
}
