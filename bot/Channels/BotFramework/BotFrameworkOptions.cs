using System.ComponentModel.DataAnnotations;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>
/// Bot Framework settings. The app registration keys sit at the configuration root under the names
/// every Bot Framework deployment already uses (MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType,
/// MicrosoftAppTenantId); the rest under "BotFramework".
/// </summary>
public sealed class BotFrameworkOptions
{
    /// <summary>Empty means local development mode: no inbound auth, no outbound token.</summary>
    public string MicrosoftAppId { get; set; } = "";

    /// <summary>Client secret of the app registration; from an environment variable or Key Vault, never committed.</summary>
    public string MicrosoftAppPassword { get; set; } = "";

    /// <summary>MultiTenant, SingleTenant or UserAssignedMSI.</summary>
    [RegularExpression("^(MultiTenant|SingleTenant|UserAssignedMSI)$", ErrorMessage = "MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI.")]
    public string MicrosoftAppType { get; set; } = "MultiTenant";

    /// <summary>Required for SingleTenant: the Entra tenant of the app registration.</summary>
    public string MicrosoftAppTenantId { get; set; } = "";

    /// <summary>Where the Bot Connector service publishes its signing keys.</summary>
    [Required, Url]
    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>Entra metadata for single-tenant tokens; "{tenant}" is replaced by MicrosoftAppTenantId.</summary>
    [Required]
    public string EntraOpenIdMetadataUrl { get; set; } = "https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration";

    /// <summary>Issuer of tokens the Bot Connector sends to bots.</summary>
    [Required]
    public string BotFrameworkIssuer { get; set; } = "https://api.botframework.com";

    /// <summary>Authority host of outbound tokens; multi-tenant bots use the botframework.com tenant.</summary>
    [Required]
    public string LoginAuthority { get; set; } = "https://login.microsoftonline.com";

    /// <summary>Scope of the outbound token that the Bot Connector accepts.</summary>
    [Required]
    public string ConnectorScope { get; set; } = "https://api.botframework.com/.default";

    /// <summary>Tolerated clock difference when validating token lifetimes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    public bool DevelopmentMode => string.IsNullOrWhiteSpace(MicrosoftAppId);

    public bool SingleTenant => string.Equals(MicrosoftAppType, "SingleTenant", StringComparison.OrdinalIgnoreCase);
}
