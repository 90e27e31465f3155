using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EmpowerBot.Outbox;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Budget;

/// <summary>What the outbox keeps for one billing hand-off: where the credit is, and which event to report.</summary>
public sealed record CreditHandoffIntent(string Partition, string Currency, string Event, string? IdempotencyKey, string? CreditRef);

/// <summary>
/// Tells the billing system about applied and undone credits through the signed webhook. The intent is stored in
/// the outbox <em>before</em> the ledger batch, so a crash between the two loses nothing; at delivery the ledger
/// says what really happened, and an intent whose credit never committed is dropped.
/// </summary>
public sealed class CreditHandoff(OutboxWriter outbox, Ledger ledger, WebhookClient webhooks, IOptions<BillingOptions> billing, TimeProvider clock)
    : IOutboxHandler
{
    public const string MessageKind = "billing.credit";
    public const string Applied = "credit.applied";
    public const string Voided = "credit.voided";

    /// <summary>How long a credit may take to commit after its intent was stored before the intent is given up.</summary>
    private static readonly TimeSpan CommitGrace = TimeSpan.FromMinutes(2);

    public string Kind => MessageKind;

    public bool Enabled => !string.IsNullOrEmpty(billing.Value.WebhookUrl);

    /// <summary>Stores the intent to report a credit; call before the ledger batch. Does nothing without a webhook.</summary>
    public Task IntendAsync(CreditHandoffIntent intent, CancellationToken ct)
    {
        if (!Enabled) return Task.CompletedTask;
        var id = "credit." + Hash($"{intent.Partition}|{intent.Event}|{intent.IdempotencyKey}|{intent.CreditRef}");
        return outbox.EnqueueAsync(OutboxMessage.Create(id, MessageKind, intent, clock.GetUtcNow().AddSeconds(1)), ct);
    }

    public async Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, int attempt, CancellationToken ct)
    {
        var intent = message.ReadPayload<CreditHandoffIntent>();
        var credit = await ledger.FindAsync(intent.Partition, intent.IdempotencyKey, intent.CreditRef, Currency.Of(intent.Currency), ct);
        if (credit is null)
        {
            return clock.GetUtcNow() - message.Due < CommitGrace
                ? DeliveryOutcome.RetryLater("credit not committed yet", TimeSpan.FromSeconds(2))
                : DeliveryOutcome.Drop("the credit was never recorded");
        }
        var reportable = intent.Event == Voided ? credit.Status == CreditStatus.Voided : credit.Status is CreditStatus.Applied or CreditStatus.Voided;
        if (!reportable) return DeliveryOutcome.Drop($"credit {credit.Ref} is {credit.Status}, nothing to bill");
        var options = billing.Value;
        if (string.IsNullOrEmpty(options.WebhookUrl)) return DeliveryOutcome.Drop("Billing:WebhookUrl is empty: no billing webhook is configured.");
        var body = JsonSerializer.Serialize(Event(intent, credit), OutboxMessage.JsonOptions);
        var key = intent.Event == Voided ? credit.Uid + ":voided" : credit.Uid;
        return await webhooks.PostAsync(new Uri(options.WebhookUrl), body, key, options.SigningSecret, ct);
    }

    /// <summary>The event the billing system receives; documented in docs/ARCHITECTURE.md.</summary>
    private static object Event(CreditHandoffIntent intent, Credit credit)
    {
        var parts = intent.Partition.Split('|');
        return new
        {
            @event = intent.Event,
            creditId = credit.Uid,
            reference = credit.Ref,
            tenant = parts[0],
            rep = parts.Length > 1 ? parts[1] : "",
            customer = credit.Customer,
            amount = credit.Amount.ToDecimal().ToString("F" + credit.Amount.Currency.Decimals, System.Globalization.CultureInfo.InvariantCulture),
            amountMinor = credit.Amount.Minor,
            currency = credit.Amount.Currency.Code,
            reason = credit.Reason,
            managerApproved = credit.Exception,
            createdAt = credit.CreatedAt,
            voidedAt = intent.Event == Voided ? credit.VoidedAt : null,
        };
    }

    private static string Hash(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)))[..40];
}
