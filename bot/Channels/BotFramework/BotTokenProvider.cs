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
/// Multi-tenant bots ask the botframework.com tenant; single-tenant bots their own.
/// </summary>
public sealed class BotTokenProvider : IBotTokenProvider
{
    private readonly BotFrameworkOptions options;
    private readonly IConfidentialClientApplication? msal;
    private readonly TokenCredential? managedIdentity;

    public BotTokenProvider(IOptions<BotFrameworkOptions> options)
    {
        this.options = options.Value;
        if (this.options.DevelopmentMode) return;
        if (string.Equals(this.options.MicrosoftAppType, "UserAssignedMSI", StringComparison.OrdinalIgnoreCase))
        {
            managedIdentity = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(this.options.MicrosoftAppId));
            return;
        }
        var tenant = this.options.SingleTenant ? this.options.MicrosoftAppTenantId : "botframework.com";
        msal = ConfidentialClientApplicationBuilder.Create(this.options.MicrosoftAppId)
            .WithClientSecret(this.options.MicrosoftAppPassword)
            .WithAuthority($"{this.options.LoginAuthority.TrimEnd('/')}/{tenant}")
            .Build();
    }

    public async Task<string?> GetTokenAsync(CancellationToken ct)
    {
        if (managedIdentity is not null)
        {
            var token = await managedIdentity.GetTokenAsync(new TokenRequestContext([options.ConnectorScope]), ct);
            return token.Token;
        }
        if (msal is null) return null;
        var result = await msal.AcquireTokenForClient([options.ConnectorScope]).ExecuteAsync(ct);
        return result.AccessToken;
    }
}
