using EmpowerBot.Hosting;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>
/// Bot Framework settings. The app registration keys sit at the configuration root under the names
/// every Bot Framework deployment already uses (MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType,
/// MicrosoftAppTenantId); the rest under "BotFramework".
/// </summary>
public sealed class BotFrameworkOptions : ISettings
{
    /// <summary>Empty means local development mode: no inbound auth, no outbound token.</summary>
    public string MicrosoftAppId { get; set; } = "";

    /// <summary>Client secret of the app registration; from an environment variable or Key Vault, never committed.</summary>
    public string MicrosoftAppPassword { get; set; } = "";

    /// <summary>MultiTenant, SingleTenant or UserAssignedMSI.</summary>
    public string MicrosoftAppType { get; set; } = "MultiTenant";

    /// <summary>Required for SingleTenant: the Entra tenant of the app registration.</summary>
    public string MicrosoftAppTenantId { get; set; } = "";

    /// <summary>Where the Bot Connector service publishes its signing keys.</summary>
    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>Entra metadata for single-tenant tokens; "{tenant}" is replaced by MicrosoftAppTenantId.</summary>
    public string EntraOpenIdMetadataUrl { get; set; } = "https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration";

    /// <summary>Issuer of tokens the Bot Connector sends to bots.</summary>
    public string BotFrameworkIssuer { get; set; } = "https://api.botframework.com";

    /// <summary>Authority host of outbound tokens; multi-tenant bots use the botframework.com tenant.</summary>
    public string LoginAuthority { get; set; } = "https://login.microsoftonline.com";

    /// <summary>Scope of the outbound token that the Bot Connector accepts.</summary>
    public string ConnectorScope { get; set; } = "https://api.botframework.com/.default";

    /// <summary>Tolerated clock difference when validating token lifetimes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    public bool DevelopmentMode => string.IsNullOrWhiteSpace(MicrosoftAppId);

    public bool SingleTenant => string.Equals(MicrosoftAppType, "SingleTenant", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<string> Problems()
    {
        if (MicrosoftAppType is not ("MultiTenant" or "SingleTenant" or "UserAssignedMSI"))
            yield return "MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI.";
        if (SingleTenant && MicrosoftAppTenantId.Length == 0) yield return "MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant.";
        if (!DevelopmentMode && MicrosoftAppPassword.Length == 0 && MicrosoftAppType != "UserAssignedMSI")
            yield return "MicrosoftAppPassword is required when MicrosoftAppId is set (or use MicrosoftAppType=UserAssignedMSI).";
        foreach (var (key, url) in new[] { (nameof(OpenIdMetadataUrl), OpenIdMetadataUrl), (nameof(EntraOpenIdMetadataUrl), EntraOpenIdMetadataUrl),
                     (nameof(BotFrameworkIssuer), BotFrameworkIssuer), (nameof(LoginAuthority), LoginAuthority) })
        {
            if (!ISettings.IsWebAddress(url.Replace("{tenant}", "common"), httpOnlyToLoopback: false))
                yield return $"BotFramework:{key} '{url}' must be an absolute https address.";
        }
        if (string.IsNullOrWhiteSpace(ConnectorScope)) yield return "BotFramework:ConnectorScope is required.";
        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromHours(1)) yield return "BotFramework:ClockSkew must be between 00:00:00 and 01:00:00.";
    }
}

[OptionsValidator]
internal sealed partial class BotFrameworkOptionsValidator : IValidateOptions<BotFrameworkOptions>;
