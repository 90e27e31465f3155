using System.Runtime.CompilerServices;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>The bearer token the bot presents to the Bot Connector; null in local development mode.</summary>
public interface IBotTokenProvider
{
    Task<string?> GetTokenAsync(CancellationToken ct);
}

/// <summary>
/// Client-credentials token for the Bot Connector. MSAL caches the token and renews it shortly before it expires;
/// a user-assigned managed identity (MicrosoftAppType=UserAssignedMSI) gets its token through Azure.Identity.
/// Multi-tenant bots ask the botframework.com tenant; single-tenant bots their own. Nothing is built until the first
/// token is wanted: a bot that answers in the response body (expectReplies) or in development mode never loads either.
/// </summary>
public sealed class BotTokenProvider(IOptions<BotFrameworkOptions> options) : IBotTokenProvider
{
    private readonly BotFrameworkOptions options = options.Value;
    private Func<CancellationToken, Task<string>>? source;

    public Task<string?> GetTokenAsync(CancellationToken ct)
    {
        if (options.DevelopmentMode) return Task.FromResult<string?>(null);
        // A race builds two sources and keeps one; both are equivalent, and MSAL's cache is per application object.
        var get = source ??= string.Equals(options.MicrosoftAppType, "UserAssignedMSI", StringComparison.OrdinalIgnoreCase)
            ? ManagedIdentitySource(options)
            : ClientSecretSource(options);
        return Nullable(get(ct));
    }

    private static async Task<string?> Nullable(Task<string> token) => await token;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Func<CancellationToken, Task<string>> ManagedIdentitySource(BotFrameworkOptions options)
    {
        var credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.MicrosoftAppId));
        return async ct => (await credential.GetTokenAsync(new TokenRequestContext([options.ConnectorScope]), ct)).Token;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Func<CancellationToken, Task<string>> ClientSecretSource(BotFrameworkOptions options)
    {
        var tenant = options.SingleTenant ? options.MicrosoftAppTenantId : "botframework.com";
        var msal = ConfidentialClientApplicationBuilder.Create(options.MicrosoftAppId)
            .WithClientSecret(options.MicrosoftAppPassword)
            .WithAuthority($"{options.LoginAuthority.TrimEnd('/')}/{tenant}")
            .Build();
        return async ct => (await msal.AcquireTokenForClient([options.ConnectorScope]).ExecuteAsync(ct)).AccessToken;
    }
}
