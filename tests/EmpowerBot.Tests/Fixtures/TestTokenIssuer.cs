using System.Security.Cryptography;
using System.Text.Json;
using EmpowerBot.Channels.BotFramework;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EmpowerBot.Tests.Fixtures;

/// <summary>
/// A stand-in for the Bot Connector's token service: publishes OpenID metadata and a JWKS (with per-key channel
/// endorsements) on 127.0.0.1, plus Entra-style metadata for any tenant, and mints tokens signed by its keys.
/// Use as a class fixture, or start a private one with <see cref="StartAsync"/> when a test changes its keys.
/// </summary>
public sealed class TestTokenIssuer : IAsyncLifetime, IAsyncDisposable
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";
    public const string AppId = "6a1f3c2e-9d47-4b8a-a1e0-0b0e0b0e0b07";
    public const string TenantId = "2d5e8f10-3c4b-4a69-8e7d-1f2a3b4c5d6e";
    public const string ChannelId = "msteams";
    public const string ServiceUrl = "https://smba.trafficmanager.net/amer/";
    public static readonly IReadOnlyList<string> DefaultEndorsements = ["msteams", "webchat", "emulator"];

    private readonly Lock _gate = new();
    private readonly List<PublishedKey> _botFrameworkKeys = [];
    private readonly PublishedKey _entraKey = new(CreateUnpublishedKey("entra-key-1"), []);
    private readonly JsonWebTokenHandler _tokens = new() { SetDefaultTimesOnTokenCreation = false };
    private WebApplication? _server;
    private int _keySetFetches;

    public TestTokenIssuer() => RotateKey();

    /// <summary>http://127.0.0.1:{port}, known once started.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>For <see cref="BotFrameworkOptions.OpenIdMetadataUrl"/>.</summary>
    public string MetadataUrl => $"{BaseUrl}/v1/.well-known/openidconfiguration";

    /// <summary>For <see cref="BotFrameworkOptions.EntraOpenIdMetadataUrl"/>; serves any tenant.</summary>
    public string EntraMetadataUrlTemplate => $"{BaseUrl}/{{tenant}}/v2.0/.well-known/openid-configuration";

    /// <summary>Key id of the Bot Framework key that signs by default; changes with <see cref="RotateKey"/>.</summary>
    public string CurrentKeyId { get { lock (_gate) return _botFrameworkKeys[^1].Key.KeyId; } }

    /// <summary>False makes every metadata and key endpoint answer 503, as if the token service were down.</summary>
    public bool MetadataAvailable { get; set; } = true;

    /// <summary>How many times the Bot Framework JWKS was fetched: shows whether a cache was used or a refresh happened.</summary>
    public int KeySetFetches => Volatile.Read(ref _keySetFetches);

    public static string EntraV2Issuer(string tenant = TenantId) => $"https://login.microsoftonline.com/{tenant}/v2.0";

    public static string EntraV1Issuer(string tenant = TenantId) => $"https://sts.windows.net/{tenant}/";

    public static string Bearer(string token) => $"Bearer {token}";

    public static async Task<TestTokenIssuer> StartAsync(CancellationToken ct = default)
    {
        var issuer = new TestTokenIssuer();
        await issuer.StartServerAsync(ct);
        return issuer;
    }

    /// <summary>Options for a bot registered as <see cref="AppId"/>, trusting this issuer's metadata.</summary>
    public BotFrameworkOptions CreateOptions(string appType = "MultiTenant") => new()
    {
        MicrosoftAppId = AppId,
        MicrosoftAppType = appType,
        MicrosoftAppTenantId = appType == "SingleTenant" ? TenantId : "",
        OpenIdMetadataUrl = MetadataUrl,
        EntraOpenIdMetadataUrl = EntraMetadataUrlTemplate,
        BotFrameworkIssuer = BotFrameworkIssuer,
    };

    /// <summary>
    /// Publishes a new Bot Framework signing key and makes it the default for <see cref="MintToken"/>. The previous keys stay
    /// published unless <paramref name="retirePrevious"/>, as during a real rotation. Returns the new key id.
    /// </summary>
    public string RotateKey(IEnumerable<string>? endorsements = null, bool retirePrevious = false)
    {
        var key = new PublishedKey(CreateUnpublishedKey($"bf-key-{Guid.NewGuid():N}"), [.. endorsements ?? DefaultEndorsements]);
        lock (_gate)
        {
            if (retirePrevious)
                _botFrameworkKeys.Clear();
            _botFrameworkKeys.Add(key);
        }
        return key.Key.KeyId;
    }

    /// <summary>A fresh RSA key that no JWKS lists; give it a published key id to forge a signature.</summary>
    public static RsaSecurityKey CreateUnpublishedKey(string keyId) => new(RSA.Create(2048)) { KeyId = keyId };

    /// <summary>
    /// A signed JWT. Defaults make a token the bot accepts: Bot Framework issuer, audience <see cref="AppId"/>, serviceurl
    /// <see cref="ServiceUrl"/>, valid for an hour from now, signed by the current key (the Entra key for other issuers).
    /// Pass serviceUrl: null to leave the claim out.
    /// </summary>
    public string MintToken(
        string issuer = BotFrameworkIssuer,
        string audience = AppId,
        string? serviceUrl = ServiceUrl,
        DateTimeOffset? issuedAt = null,
        TimeSpan? lifetime = null,
        DateTimeOffset? notBefore = null,
        SecurityKey? signingKey = null,
        string algorithm = SecurityAlgorithms.RsaSha256,
        IReadOnlyDictionary<string, object>? extraClaims = null)
    {
        var iat = issuedAt ?? DateTimeOffset.UtcNow;
        var nbf = notBefore ?? iat;
        var claims = new Dictionary<string, object>(extraClaims ?? new Dictionary<string, object>());
        if (serviceUrl is not null)
            claims["serviceurl"] = serviceUrl;
        signingKey ??= issuer == BotFrameworkIssuer ? CurrentKey() : _entraKey.Key;

        return _tokens.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = iat.UtcDateTime,
            NotBefore = nbf.UtcDateTime,
            Expires = (nbf + (lifetime ?? TimeSpan.FromHours(1))).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(signingKey, algorithm),
        });
    }

    async Task IAsyncLifetime.InitializeAsync() => await StartServerAsync(CancellationToken.None);

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.StopAsync();
            await server.DisposeAsync();
        }
    }

    private async Task StartServerAsync(CancellationToken ct)
    {
        var app = LoopbackServer.Create();

        app.MapGet("/v1/.well-known/openidconfiguration", () => Serve(() => new
        {
            issuer = BotFrameworkIssuer,
            authorization_endpoint = "https://invalid.botframework.com/v1/auth",
            jwks_uri = $"{BaseUrl}/v1/.well-known/keys",
            id_token_signing_alg_values_supported = new[] { "RS256" },
            token_endpoint_auth_methods_supported = new[] { "private_key_jwt" },
        }));
        app.MapGet("/v1/.well-known/keys", () =>
        {
            Interlocked.Increment(ref _keySetFetches);
            return Serve(() => new { keys = BotFrameworkJwks() });
        });
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => Serve(() => new
        {
            issuer = EntraV2Issuer(tenant),
            jwks_uri = $"{BaseUrl}/{tenant}/discovery/v2.0/keys",
            id_token_signing_alg_values_supported = new[] { "RS256" },
        }));
        app.MapGet("/{tenant}/discovery/v2.0/keys", (string tenant) => Serve(() => new { keys = new[] { Jwk(_entraKey) } }));

        BaseUrl = await LoopbackServer.StartAsync(app, ct);
        _server = app;
    }

    private IResult Serve(Func<object> document) =>
        MetadataAvailable
            ? Results.Content(JsonSerializer.Serialize(document()), "application/json")
            : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);

    private RsaSecurityKey CurrentKey()
    {
        lock (_gate) return _botFrameworkKeys[^1].Key;
    }

    private Dictionary<string, object>[] BotFrameworkJwks()
    {
        lock (_gate) return [.. _botFrameworkKeys.Select(Jwk)];
    }

    /// <summary>A JWK as the Bot Connector publishes it; endorsements only when the key has any (Entra keys have none).</summary>
    private static Dictionary<string, object> Jwk(PublishedKey published)
    {
        var parameters = published.Key.Rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new Dictionary<string, object>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = published.Key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        if (published.Endorsements.Length > 0)
            jwk["endorsements"] = published.Endorsements;
        return jwk;
    }

    private sealed record PublishedKey(RsaSecurityKey Key, string[] Endorsements);
}
