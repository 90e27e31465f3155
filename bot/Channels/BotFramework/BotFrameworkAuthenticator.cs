using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>
/// Checks the bearer token the Bot Connector sends with every activity, following "Authenticate requests from the
/// Bot Connector service to your bot" (Bot Framework REST API authentication): issuer, audience = our app id, lifetime
/// with 5 minutes of skew, an RS256 signature by a published key that endorses the activity's channel, and a serviceurl
/// claim equal to the activity's serviceUrl. Register as a singleton: it owns the signing-key caches and remembers the
/// tokens it has checked (see <see cref="ValidatedTokens"/>), so the connector's repeated token is verified once.
/// </summary>
public sealed class BotFrameworkAuthenticator : IChannelAuthenticator
{
    /// <summary>Named HttpClient used to fetch OpenID metadata and keys; configure proxies or handlers on it in DI.</summary>
    public const string MetadataHttpClientName = "BotFramework.OpenIdMetadata";

    private const string MalformedHeader = "missing or malformed Authorization header";
    private const string ServiceUrlClaim = "serviceurl";

    private readonly BotFrameworkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BotFrameworkAuthenticator> _logger;
    private readonly JsonWebTokenHandler _tokens = new();
    private readonly SigningKeySource _botFrameworkKeys;
    private readonly SigningKeySource? _entraKeys;
    private readonly string[] _entraIssuers = [];
    private readonly ValidatedTokens _validated = new();

    public BotFrameworkAuthenticator(
        IOptions<BotFrameworkOptions> options,
        IHttpClientFactory httpClients,
        TimeProvider time,
        ILogger<BotFrameworkAuthenticator> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        // Nothing is fetched until the first request, so building the sources costs nothing in development mode.
        _botFrameworkKeys = new SigningKeySource(_options.OpenIdMetadataUrl, httpClients, time, logger);

        if (_options.SingleTenant && !_options.DevelopmentMode)
        {
            var tenant = _options.MicrosoftAppTenantId;
            if (string.IsNullOrWhiteSpace(tenant))
                throw new InvalidOperationException("MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant.");
            var metadataUrl = _options.EntraOpenIdMetadataUrl.Replace("{tenant}", Uri.EscapeDataString(tenant), StringComparison.Ordinal);
            _entraKeys = new SigningKeySource(metadataUrl, httpClients, time, logger);
            // Entra issues v2.0 and v1.0 tokens for the same app registration; both name only our own tenant.
            _entraIssuers = [$"https://login.microsoftonline.com/{tenant}/v2.0", $"https://sts.windows.net/{tenant}/"];
        }
    }

    public async Task<AuthResult> AuthenticateAsync(string? authorizationHeader, string channelId, string serviceUrl, CancellationToken ct)
    {
        if (_options.DevelopmentMode)
            return AuthResult.Anonymous;

        if (TryGetBearer(authorizationHeader, out var bearer) && _validated.Find(bearer, _time.GetUtcNow(), _options.ClockSkew) is { } known)
        {
            // Checked before against the keys still in force: only what depends on this activity is left to check.
            if (ReferenceEquals(await CurrentKeysOrNullAsync(known.Keys, ct).ConfigureAwait(false), known.CheckedAgainst))
                return CheckActivity(known, channelId, serviceUrl);
            _validated.Remove(bearer);
        }

        if (!TryReadBearerToken(authorizationHeader, out var token, out var unverified))
            return Reject(MalformedHeader);

        // The issuer is read before the signature is checked only to pick whose keys to check it with; it is validated below.
        var isBotFramework = string.Equals(unverified.Issuer, _options.BotFrameworkIssuer, StringComparison.Ordinal);
        var keys = isBotFramework ? _botFrameworkKeys
            : _entraKeys is not null && _entraIssuers.Contains(unverified.Issuer, StringComparer.Ordinal) ? _entraKeys
            : null;
        if (keys is null)
            return Reject("untrusted token issuer");
        if (string.IsNullOrEmpty(unverified.Kid))
            return Reject("token names no signing key");
        // ValidAlgorithms enforces this too, but IdentityModel reports it as a bad signature; say what is wrong.
        if (!string.Equals(unverified.Alg, SecurityAlgorithms.RsaSha256, StringComparison.Ordinal))
            return Reject("token signing algorithm not allowed");
        if (isBotFramework && string.IsNullOrEmpty(channelId))
            return Reject("activity has no channelId to check against the key's endorsements");

        OpenIdConnectConfiguration metadata;
        try
        {
            metadata = await keys.GetAsync(ct).ConfigureAwait(false);
            if (!SigningKeySource.HasKey(metadata, unverified.Kid))
            {
                // Keys rotate: a new key id may be published after we cached the set. Refresh (rate-limited) and look once more.
                await keys.RefreshAsync(ct).ConfigureAwait(false);
                metadata = await keys.GetAsync(ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "Signing keys unavailable from {MetadataUrl}", keys.MetadataUrl);
            return AuthResult.Unavailable($"signing keys unavailable: could not read OpenID metadata from {keys.MetadataUrl}");
        }
        if (!SigningKeySource.HasKey(metadata, unverified.Kid))
            return Reject("token signed by an unknown key");

        var validIssuers = isBotFramework ? [_options.BotFrameworkIssuer] : _entraIssuers;
        var result = await _tokens.ValidateTokenAsync(token, Parameters(metadata, validIssuers)).ConfigureAwait(false);
        if (!result.IsValid)
            return Reject(Describe(result.Exception));
        var validated = (JsonWebToken)result.SecurityToken;

        var checkedToken = new ValidatedToken(
            result.ClaimsIdentity,
            keys,
            metadata,
            isBotFramework,
            validated.SigningKey?.KeyId ?? validated.Kid,
            validated.TryGetPayloadValue<string>(ServiceUrlClaim, out var claimedServiceUrl) ? claimedServiceUrl : null,
            new DateTimeOffset(validated.ValidTo, TimeSpan.Zero));
        var verdict = CheckActivity(checkedToken, channelId, serviceUrl);
        if (verdict.Succeeded)
            _validated.Add(token, checkedToken, _time.GetUtcNow(), _options.ClockSkew);
        return verdict;
    }

    /// <summary>What binds a valid token to this activity: the channel its key endorses, and the serviceUrl it names.</summary>
    private AuthResult CheckActivity(ValidatedToken token, string channelId, string serviceUrl)
    {
        // Entra keys carry no endorsements; for the Bot Connector, the key must vouch for the channel the activity claims.
        if (token.IsBotFramework)
        {
            if (string.IsNullOrEmpty(channelId))
                return Reject("activity has no channelId to check against the key's endorsements");
            if (!SigningKeySource.EndorsementsOf(token.CheckedAgainst, token.KeyId).Contains(channelId))
                return Reject($"signing key does not endorse channel {channelId}");
        }

        // Replies go to the activity's serviceUrl with our credentials; only the token binds that URL to the Bot Connector.
        if (token.ServiceUrlClaim is { } claimedServiceUrl)
        {
            if (!SameServiceUrl(claimedServiceUrl, serviceUrl))
                return Reject("token serviceurl does not match the activity's serviceUrl");
        }
        else if (token.IsBotFramework)
        {
            return Reject("token has no serviceurl claim");
        }

        return AuthResult.Success(token.Identity);
    }

    /// <summary>The keys in force now; null when they cannot be read (the full check then reports it).</summary>
    private static async Task<OpenIdConnectConfiguration?> CurrentKeysOrNullAsync(SigningKeySource keys, CancellationToken ct)
    {
        try
        {
            return await keys.GetAsync(ct).ConfigureAwait(false);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration metadata, string[] validIssuers) => new()
    {
        ValidIssuers = validIssuers,
        ValidAudience = _options.MicrosoftAppId,
        IssuerSigningKeys = metadata.SigningKeys,
        // Only the key the token names: it is that key's endorsements we check afterwards.
        TryAllIssuerSigningKeys = false,
        RequireSignedTokens = true,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        RequireExpirationTime = true,
        // IdentityModel 8 keeps its clock internal; a delegate lets the lifetime follow the injected TimeProvider.
        LifetimeValidator = ValidateLifetime,
        ClockSkew = _options.ClockSkew,
        AuthenticationType = "BotFramework",
    };

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is null)
            throw new SecurityTokenNoExpirationException("token has no expiry");
        if (notBefore is { } nbf && nbf > now + _options.ClockSkew)
            throw new SecurityTokenNotYetValidException("token not yet valid") { NotBefore = nbf };
        if (expires.Value < now - _options.ClockSkew)
            throw new SecurityTokenExpiredException("token expired") { Expires = expires.Value };
        return true;
    }

    private static bool TryGetBearer(string? header, out string token)
    {
        const string scheme = "Bearer ";
        token = "";
        if (header is null || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        token = header[scheme.Length..].Trim();
        return token.Length > 0;
    }

    private bool TryReadBearerToken(string? header, out string token, out JsonWebToken unverified)
    {
        unverified = null!;
        // CanReadToken also bounds the size, before any parsing of attacker-supplied bytes.
        if (!TryGetBearer(header, out token) || !_tokens.CanReadToken(token))
            return false;
        try
        {
            unverified = _tokens.ReadJsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            return false;
        }
        // Encrypted tokens are not part of the protocol; refuse rather than decrypt.
        return !unverified.IsEncrypted;
    }

    private static string Describe(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => "token expired",
        SecurityTokenNotYetValidException => "token not yet valid",
        SecurityTokenNoExpirationException => "token has no expiry",
        SecurityTokenInvalidAudienceException => "token audience is not this bot",
        SecurityTokenInvalidIssuerException => "untrusted token issuer",
        SecurityTokenInvalidAlgorithmException => "token signing algorithm not allowed",
        SecurityTokenSignatureKeyNotFoundException => "token signed by an unknown key",
        SecurityTokenInvalidSignatureException => "token signature is invalid",
        _ => "token is invalid",
    };

    /// <summary>Ordinal, as the protocol asks, tolerating only a trailing slash present on one side.</summary>
    private static bool SameServiceUrl(string claimed, string actual) =>
        string.Equals(WithoutTrailingSlash(claimed), WithoutTrailingSlash(actual), StringComparison.Ordinal);

    private static string WithoutTrailingSlash(string url) => url.EndsWith('/') ? url[..^1] : url;

    private AuthResult Reject(string reason)
    {
        // The reason only, never the token: it is a live credential for as long as it has not expired.
        _logger.LogInformation("Rejected inbound Bot Framework request: {Reason}", reason);
        return AuthResult.Fail(reason);
    }
}
