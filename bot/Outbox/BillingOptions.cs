using Microsoft.Extensions.Options;

namespace EmpowerBot.Outbox;

/// <summary>The "Billing" section: where credit events are posted for the billing system, and how they are signed.</summary>
public sealed class BillingOptions
{
    /// <summary>Absolute https URL of the billing webhook (http only to loopback, for local tests). Empty: no webhook.</summary>
    public string WebhookUrl { get; set; } = "";

    /// <summary>HMAC key of <see cref="WebhookSignature"/>; from the environment (Billing__SigningSecret), never committed.</summary>
    public string SigningSecret { get; set; } = "";
}

internal sealed class BillingOptionsValidator : IValidateOptions<BillingOptions>
{
    public const int MinSecretLength = 16;

    public ValidateOptionsResult Validate(string? name, BillingOptions o)
    {
        if (string.IsNullOrEmpty(o.WebhookUrl)) return ValidateOptionsResult.Success;
        if (!Uri.TryCreate(o.WebhookUrl, UriKind.Absolute, out var url)
            || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
            return ValidateOptionsResult.Fail("Billing:WebhookUrl must be an absolute https URL (http only to localhost), or empty for no webhook.");
        if (o.SigningSecret.Length < MinSecretLength)
            return ValidateOptionsResult.Fail(
                $"Billing:SigningSecret must have at least {MinSecretLength} characters when Billing:WebhookUrl is set; set it in the environment as Billing__SigningSecret.");
        return ValidateOptionsResult.Success;
    }
}
