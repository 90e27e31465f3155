using EmpowerBot.Channels.BotFramework;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace EmpowerBot.Tests.Channels.BotFramework;

/// <summary>Each test is one decision of the inbound JWT check, against tokens from a local test issuer.</summary>
public sealed partial class AuthenticationTests(TestTokenIssuer issuer) : IClassFixture<TestTokenIssuer>
{
    private const string Teams = TestTokenIssuer.ChannelId;
    private const string ServiceUrl = TestTokenIssuer.ServiceUrl;
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_valid_token_is_accepted_with_its_claims()
    {
        var result = await Authenticate(issuer.MintToken());

        Assert.True(result.Succeeded, result.Failure);
        Assert.Equal(ServiceUrl, result.Identity!.FindFirst("serviceurl")?.Value);
        Assert.Equal(TestTokenIssuer.BotFrameworkIssuer, result.Identity.FindFirst("iss")?.Value);
    }

    [Fact]
    public async Task A_token_expired_beyond_the_clock_skew_is_rejected()
    {
        var token = issuer.MintToken(lifetime: TimeSpan.FromHours(1));
        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(6));

        AssertRejected(await Authenticate(token), "token expired");
    }

    [Fact]
    public async Task A_token_expired_within_the_clock_skew_is_accepted()
    {
        var token = issuer.MintToken(lifetime: TimeSpan.FromHours(1));
        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(4));

        Assert.True((await Authenticate(token)).Succeeded);
    }

    [Fact]
    public async Task A_token_not_yet_valid_beyond_the_clock_skew_is_rejected()
    {
        var token = issuer.MintToken(notBefore: _clock.GetUtcNow().AddMinutes(10));

        AssertRejected(await Authenticate(token), "token not yet valid");
    }

    [Fact]
    public async Task A_token_for_another_bot_is_rejected() =>
        AssertRejected(await Authenticate(issuer.MintToken(audience: "a-different-app-id")), "token audience is not this bot");

    [Fact]
    public async Task A_token_from_an_unknown_issuer_is_rejected()
    {
        var token = issuer.MintToken(issuer: "https://evil.example.com", signingKey: TestTokenIssuer.CreateUnpublishedKey(issuer.CurrentKeyId));

        AssertRejected(await Authenticate(token), "untrusted token issuer");
    }

    [Fact]
    public async Task A_token_signed_by_an_unpublished_key_under_a_published_key_id_is_rejected()
    {
        var forged = issuer.MintToken(signingKey: TestTokenIssuer.CreateUnpublishedKey(issuer.CurrentKeyId));

        AssertRejected(await Authenticate(forged), "token signature is invalid");
    }

    [Fact]
    public async Task A_token_signed_with_an_algorithm_other_than_RS256_is_rejected() =>
        AssertRejected(await Authenticate(issuer.MintToken(algorithm: SecurityAlgorithms.RsaSha384)), "token signing algorithm not allowed");

    [Fact]
    public async Task An_unknown_key_id_triggers_a_refresh_and_succeeds_after_key_rotation()
    {
        await using var rotating = await TestTokenIssuer.StartAsync();
        var authenticator = CreateAuthenticator(rotating.CreateOptions());
        Assert.True((await Authenticate(authenticator, rotating.MintToken())).Succeeded);
        var fetchesBeforeRotation = rotating.KeySetFetches;

        rotating.RotateKey(retirePrevious: true);
        var result = await Authenticate(authenticator, rotating.MintToken());

        Assert.True(result.Succeeded, result.Failure);
        Assert.Equal(fetchesBeforeRotation + 1, rotating.KeySetFetches);
    }

    [Fact]
    public async Task Made_up_key_ids_force_at_most_one_refresh_per_interval()
    {
        await using var own = await TestTokenIssuer.StartAsync();
        var authenticator = CreateAuthenticator(own.CreateOptions());
        Assert.True((await Authenticate(authenticator, own.MintToken())).Succeeded);
        var fetchesBefore = own.KeySetFetches;

        for (var i = 0; i < 5; i++)
        {
            var token = own.MintToken(signingKey: TestTokenIssuer.CreateUnpublishedKey($"made-up-{i}"));
            AssertRejected(await Authenticate(authenticator, token), "token signed by an unknown key");
        }
        Assert.Equal(fetchesBefore + 1, own.KeySetFetches);

        // A key rotated in later is still picked up once the interval has passed.
        own.RotateKey();
        _clock.Advance(SigningKeySource.MinimumRefreshInterval);
        Assert.True((await Authenticate(authenticator, own.MintToken())).Succeeded);
        Assert.Equal(fetchesBefore + 2, own.KeySetFetches);
    }

    [Fact]
    public async Task A_channel_the_signing_key_does_not_endorse_is_rejected() =>
        AssertRejected(await Authenticate(issuer.MintToken(), channelId: "slack"), "signing key does not endorse channel slack");

    [Fact]
    public async Task A_serviceUrl_other_than_the_token_claims_is_rejected()
    {
        var result = await Authenticate(issuer.MintToken(), serviceUrl: "https://attacker.example.com/");

        AssertRejected(result, "token serviceurl does not match the activity's serviceUrl");
    }

    [Fact]
    public async Task A_trailing_slash_difference_in_the_serviceUrl_is_tolerated()
    {
        var result = await Authenticate(issuer.MintToken(), serviceUrl: ServiceUrl.TrimEnd('/'));

        Assert.True(result.Succeeded, result.Failure);
    }

    [Fact]
    public async Task A_Bot_Framework_token_without_a_serviceurl_claim_is_rejected() =>
        AssertRejected(await Authenticate(issuer.MintToken(serviceUrl: null)), "token has no serviceurl claim");

    [Fact]
    public async Task A_request_without_an_Authorization_header_is_rejected()
    {
        var result = await CreateAuthenticator(issuer.CreateOptions()).AuthenticateAsync(null, Teams, ServiceUrl, CancellationToken.None);

        AssertRejected(result, "missing or malformed Authorization header");
    }

    [Theory]
    [InlineData("Basic ZW1wb3dlcjpib3Q=")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer not-a-jwt")]
    [InlineData("Bearer aGVhZGVy.cGF5bG9hZA.c2ln")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9")]
    public async Task A_malformed_Authorization_header_is_rejected(string header)
    {
        var result = await CreateAuthenticator(issuer.CreateOptions()).AuthenticateAsync(header, Teams, ServiceUrl, CancellationToken.None);

        AssertRejected(result, "missing or malformed Authorization header");
    }

    [Fact]
    public async Task Development_mode_accepts_a_request_without_a_token()
    {
        var options = issuer.CreateOptions();
        options.MicrosoftAppId = "";

        var result = await CreateAuthenticator(options).AuthenticateAsync(null, Teams, ServiceUrl, CancellationToken.None);

        Assert.Same(AuthResult.Anonymous, result);
    }

    [Fact]
    public async Task A_single_tenant_bot_accepts_a_v2_token_from_its_tenant()
    {
        var token = issuer.MintToken(issuer: TestTokenIssuer.EntraV2Issuer());

        var result = await Authenticate(token, options: issuer.CreateOptions("SingleTenant"));

        Assert.True(result.Succeeded, result.Failure);
    }

    [Fact]
    public async Task A_single_tenant_bot_accepts_a_v1_sts_token_from_its_tenant()
    {
        var token = issuer.MintToken(issuer: TestTokenIssuer.EntraV1Issuer());

        var result = await Authenticate(token, options: issuer.CreateOptions("SingleTenant"));

        Assert.True(result.Succeeded, result.Failure);
    }

    [Fact]
    public async Task A_single_tenant_bot_rejects_a_token_from_another_tenant()
    {
        var token = issuer.MintToken(issuer: TestTokenIssuer.EntraV2Issuer("0c0ffee0-0000-4000-8000-00000000dead"));

        AssertRejected(await Authenticate(token, options: issuer.CreateOptions("SingleTenant")), "untrusted token issuer");
    }

    [Fact]
    public async Task A_single_tenant_bot_still_accepts_Bot_Framework_tokens() =>
        Assert.True((await Authenticate(issuer.MintToken(), options: issuer.CreateOptions("SingleTenant"))).Succeeded);

    [Fact]
    public async Task A_multi_tenant_bot_rejects_tokens_issued_by_Entra()
    {
        var token = issuer.MintToken(issuer: TestTokenIssuer.EntraV2Issuer());

        AssertRejected(await Authenticate(token, options: issuer.CreateOptions("MultiTenant")), "untrusted token issuer");
    }

    [Fact]
    public async Task An_unreachable_metadata_endpoint_fails_the_request_naming_the_metadata_url()
    {
        await using var down = await TestTokenIssuer.StartAsync();
        down.MetadataAvailable = false;

        var result = await Authenticate(CreateAuthenticator(down.CreateOptions()), down.MintToken());

        Assert.False(result.Succeeded);
        Assert.True(result.IsTransient);
        Assert.Null(result.Identity);
        Assert.Contains(down.MetadataUrl, result.Failure);
    }

    private Task<AuthResult> Authenticate(
        string token, string channelId = Teams, string serviceUrl = ServiceUrl, BotFrameworkOptions? options = null) =>
        Authenticate(CreateAuthenticator(options ?? issuer.CreateOptions()), token, channelId, serviceUrl);

    private static Task<AuthResult> Authenticate(
        BotFrameworkAuthenticator authenticator, string token, string channelId = Teams, string serviceUrl = ServiceUrl) =>
        authenticator.AuthenticateAsync(TestTokenIssuer.Bearer(token), channelId, serviceUrl, CancellationToken.None);

    private BotFrameworkAuthenticator CreateAuthenticator(BotFrameworkOptions options) =>
        new(Options.Create(options), new PlainHttpClients(), _clock, NullLogger<BotFrameworkAuthenticator>.Instance);

    private static void AssertRejected(AuthResult result, string reason)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.Identity);
        Assert.Equal(reason, result.Failure);
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private sealed class PlainHttpClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
