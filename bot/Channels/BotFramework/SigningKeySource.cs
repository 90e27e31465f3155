using System.Text.Json;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>
/// The signing keys published at one OpenID metadata address (Bot Connector or an Entra tenant),
/// cached by IdentityModel's <see cref="ConfigurationManager{T}"/>, with an on-demand refresh for rotated keys.
/// </summary>
internal sealed class SigningKeySource
{
    /// <summary>
    /// Tokens carrying a key id we have not seen may force at most one fetch per interval, so a flood of made-up
    /// key ids cannot turn the bot into an amplifier against the metadata endpoint. Same value as IdentityModel's own limit.
    /// </summary>
    internal static readonly TimeSpan MinimumRefreshInterval = BaseConfigurationManager.DefaultRefreshInterval;

    // A metadata fetch sits on the request path the first time; don't let a hanging endpoint hold requests for HttpClient's 100 s.
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    private readonly IDocumentRetriever _documents;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private ConfigurationManager<OpenIdConnectConfiguration> _manager;
    private DateTimeOffset? _lastForcedRefresh;

    public SigningKeySource(string metadataUrl, IHttpClientFactory httpClients, TimeProvider time, ILogger logger)
    {
        MetadataUrl = metadataUrl;
        // Plain http is only for a local test issuer: allowed when the configured address itself is http, never as a downgrade
        // from an https metadata document to an http jwks_uri.
        var allowHttp = metadataUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
        _documents = new MetadataDocumentRetriever(httpClients, allowHttp);
        _time = time;
        _logger = logger;
        _manager = CreateManager();
    }

    public string MetadataUrl { get; }

    /// <summary>The cached metadata and keys; fetched on first use. Throws when nothing could ever be fetched.</summary>
    public Task<OpenIdConnectConfiguration> GetAsync(CancellationToken ct) => Volatile.Read(ref _manager).GetConfigurationAsync(ct);

    /// <summary>
    /// Fetches the metadata again and waits for it, unless a forced refresh happened within <see cref="MinimumRefreshInterval"/>.
    /// A failed fetch keeps the keys we had: stale keys are better than none.
    /// </summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await _refreshGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            if (_lastForcedRefresh is { } last && now - last < MinimumRefreshInterval)
                return;
            // Counted before the fetch, so a failing endpoint is not retried on every request either.
            _lastForcedRefresh = now;

            // ConfigurationManager.RequestRefresh() only starts a background fetch in IdentityModel 8, so a retry right after it
            // would still see the old keys. A fresh manager's first fetch is awaited instead; it takes over only if it succeeds.
            var fresh = CreateManager();
            await fresh.GetConfigurationAsync(ct).ConfigureAwait(false);
            Volatile.Write(ref _manager, fresh);
            _logger.LogInformation("Refreshed signing keys from {MetadataUrl}", MetadataUrl);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "Could not refresh signing keys from {MetadataUrl}; keeping the cached keys", MetadataUrl);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    public static bool HasKey(OpenIdConnectConfiguration metadata, string keyId) =>
        metadata.SigningKeys.Any(key => string.Equals(key.KeyId, keyId, StringComparison.Ordinal));

    /// <summary>
    /// The channel ids the published key endorses. The Bot Connector lists them in a non-standard "endorsements" member of
    /// each JWK, which IdentityModel keeps in <see cref="JsonWebKey.AdditionalData"/> (as a JsonElement in 8.x).
    /// </summary>
    public static IReadOnlySet<string> EndorsementsOf(OpenIdConnectConfiguration metadata, string keyId)
    {
        var endorsements = new HashSet<string>(StringComparer.Ordinal);
        var jwk = metadata.JsonWebKeySet?.Keys.FirstOrDefault(k => string.Equals(k.Kid, keyId, StringComparison.Ordinal));
        if (jwk is null || !jwk.AdditionalData.TryGetValue("endorsements", out var value))
            return endorsements;

        switch (value)
        {
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                foreach (var item in array.EnumerateArray())
                    if (item.ValueKind == JsonValueKind.String && item.GetString() is { } channel)
                        endorsements.Add(channel);
                break;
            // Other IdentityModel versions have materialised unknown arrays as lists.
            case IEnumerable<object> items:
                foreach (var item in items)
                    if (item is string channel)
                        endorsements.Add(channel);
                break;
        }
        return endorsements;
    }

    private ConfigurationManager<OpenIdConnectConfiguration> CreateManager() =>
        new(MetadataUrl, new OpenIdConnectConfigurationRetriever(), _documents);

    /// <summary>Fetches metadata and JWKS through IHttpClientFactory, so handlers are pooled and configurable in DI.</summary>
    private sealed class MetadataDocumentRetriever(IHttpClientFactory httpClients, bool allowHttp) : IDocumentRetriever
    {
        public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri)
                || !(uri.Scheme == Uri.UriSchemeHttps || (allowHttp && uri.Scheme == Uri.UriSchemeHttp)))
                throw new InvalidOperationException($"Refusing to fetch signing keys from '{address}': https is required.");

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(FetchTimeout);
            using var client = httpClients.CreateClient(BotFrameworkAuthenticator.MetadataHttpClientName);
            using var response = await client.GetAsync(uri, timeout.Token).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        }
    }
}
