using Microsoft.Extensions.Options;

namespace EmpowerBot.Outbox;

/// <summary>
/// Delivers billing events: the payload is posted verbatim to Billing:WebhookUrl, signed, with the message id as the
/// Idempotency-Key, so the billing system sees each event once however often it is delivered.
/// </summary>
public sealed class BillingWebhookHandler(WebhookClient webhooks, IOptions<BillingOptions> options) : IOutboxHandler
{
    public const string MessageKind = "billing.webhook";

    public string Kind => MessageKind;

    /// <summary>A billing event for the outbox; <paramref name="id"/> is the event's stable id (e.g. the credit id).</summary>
    public static OutboxMessage Message<T>(string id, T payload, DateTimeOffset due) => OutboxMessage.Create(id, MessageKind, payload, due);

    public Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, int attempt, CancellationToken ct)
    {
        var billing = options.Value;
        // Checked at delivery, not enqueue: the setting may have been cleared since, and the event then has nowhere to go.
        if (string.IsNullOrEmpty(billing.WebhookUrl))
            return Task.FromResult(DeliveryOutcome.Drop("Billing:WebhookUrl is empty: no billing webhook is configured."));
        return webhooks.PostAsync(new Uri(billing.WebhookUrl), message.Payload, message.Id, billing.SigningSecret, ct);
    }
}
