using EmpowerBot.Hosting;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Outbox;

/// <summary>The "Billing" section: where credit events are posted for the billing system, and how they are signed.</summary>
public sealed class BillingOptions : ISettings
{
    /// <summary>Absolute https URL of the billing webhook (http only to loopback, for local tests). Empty: no webhook.</summary>
    public string WebhookUrl { get; set; } = "";

    /// <summary>HMAC key of <see cref="WebhookSignature"/>; from the environment (Billing__SigningSecret), never committed.</summary>
    public string SigningSecret { get; set; } = "";

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrEmpty(WebhookUrl)) yield break;
        if (!ISettings.IsWebAddress(WebhookUrl, httpOnlyToLoopback: true))
            yield return "Billing:WebhookUrl must be an absolute https URL (http only to localhost), or empty for no webhook.";
        else if (SigningSecret.Length < ISettings.MinSecretLength)
            yield return $"Billing:SigningSecret must have at least {ISettings.MinSecretLength} characters when Billing:WebhookUrl is set; set it in the environment as Billing__SigningSecret.";
    }
}

[OptionsValidator]
internal sealed partial class BillingOptionsValidator : IValidateOptions<BillingOptions>;
