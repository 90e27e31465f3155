using System.Globalization;
using Azure.Core;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>
/// Dates and authorizes every request to the table service. It sits inside the resilience handler, so each
/// retry is signed afresh (a signature is bound to its x-ms-date, which the service accepts for 15 minutes).
/// Signing always uses the wall clock, never the app's business clock, which tests may move.
/// </summary>
internal sealed class TableAuthHandler : DelegatingHandler
{
    /// <summary>The REST version spoken; Entra tokens need 2019-02-02 or later.</summary>
    public const string ServiceVersion = "2021-12-02";

    private readonly AzureTablesConnection _connection;
    private readonly EntraTokenSource? _tokens;
    private readonly TimeProvider _time;

    public TableAuthHandler(AzureTablesConnection connection, EntraTokenSource? tokens, TimeProvider? time = null)
    {
        if (!connection.UsesAccountKey && tokens is null)
        {
            throw new ArgumentException("A connection without an account key needs a token source.", nameof(tokens));
        }
        _connection = connection;
        _tokens = tokens;
        _time = time ?? TimeProvider.System;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var date = _time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        Set(request, "x-ms-date", date);
        Set(request, "x-ms-version", ServiceVersion);
        var authorization = _connection.AccountKey is { } key
            ? SharedKeyLite.Authorization(_connection.AccountName, key, date, request.RequestUri!)
            : "Bearer " + await _tokens!.GetTokenAsync(ct).ConfigureAwait(false);
        Set(request, "Authorization", authorization);
        return await base.SendAsync(request, ct).ConfigureAwait(false);
    }

    private static void Set(HttpRequestMessage request, string header, string value)
    {
        request.Headers.Remove(header);
        request.Headers.TryAddWithoutValidation(header, value);
    }
}

/// <summary>
/// Microsoft Entra access tokens for Azure Storage (scope https://storage.azure.com/.default), kept until five
/// minutes before they expire so that a token is fetched about once an hour, not once per request, whatever
/// caching the credential itself does.
/// </summary>
internal sealed class EntraTokenSource(TokenCredential credential, TimeProvider? time = null)
{
    public static readonly string[] Scopes = ["https://storage.azure.com/.default"];

    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile CachedToken? _current;

    public async ValueTask<string> GetTokenAsync(CancellationToken ct)
    {
        if (Fresh(_current) is { } token)
        {
            return token;
        }
        await _refresh.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Fresh(_current) is { } refreshed)
            {
                return refreshed;
            }
            var access = await credential.GetTokenAsync(new TokenRequestContext(Scopes), ct).ConfigureAwait(false);
            _current = new CachedToken(access.Token, access.ExpiresOn);
            return access.Token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private string? Fresh(CachedToken? token) =>
        token is not null && token.ExpiresOn - _time.GetUtcNow() > RefreshMargin ? token.Value : null;

    private sealed record CachedToken(string Value, DateTimeOffset ExpiresOn)
    {
        // A record would print the token itself.
        public override string ToString() => $"access token valid until {ExpiresOn:u}";
    }
}
