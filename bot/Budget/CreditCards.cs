using EmpowerBot.Conversation;
using EmpowerBot.Policy;

namespace EmpowerBot.Budget;

/// <summary>View model of cards/credit-receipt.json.</summary>
public sealed record CreditReceiptCard(string Title, bool Voided, string Amount, string Customer, string Reason, string Reference,
    string Remaining, bool CanUndo, string UndoUntil, string BillingNote, string Op, string Given = "");

/// <summary>View model of cards/credit-refused.json.</summary>
public sealed record CreditRefusedCard(string Title, string Amount, string Customer, string Reason, string Sentence, string WhatToDo, string Rule);

/// <summary>The replies of the credit commands, built in one place so a receipt reads the same wherever it comes from.</summary>
public static class CreditReplies
{
    /// <param name="zone">The zone of the person reading the receipt.</param>
    public static Reply Receipt(Credit credit, TimeZoneInfo zone, TimeSpan undoWindow, bool billingAutomatic, DateTimeOffset now)
    {
        if (credit.Status == CreditStatus.Voided)
        {
            // A form submitted again after its credit was undone gets the receipt as it now stands: undone, no Undo.
            return Show(UndoneCard(credit, "See My budget"), $"{credit.Ref} ({credit.Amount} to {credit.Customer}) was undone; nothing is credited.");
        }
        var undoUntil = credit.CreatedAt + undoWindow;
        var card = new CreditReceiptCard(
            "Credit applied",
            false,
            credit.Amount.ToString(),
            credit.Customer,
            credit.Reason,
            credit.Ref,
            credit.RemainingAfter.ToString(),
            now < undoUntil,
            ZonedTime.Time(undoUntil, zone),
            billingAutomatic
                ? $"Sent to billing automatically as {credit.Ref}."
                : $"Recorded here and taken from your budget; the customer's account is not credited yet: enter {credit.Ref} in the billing tool to do that.",
            // Marks Undo as a button that writes, so its outcome replaces this receipt. The credit's own reference is
            // its key (undoing is once per credit anyway), and a redelivery gets a receipt identical to the first.
            credit.Ref,
            ZonedTime.Time(credit.CreatedAt, zone));
        var text = $"Applied {credit.Amount} to {credit.Customer} ({credit.Reason.ToLowerInvariant()}). {credit.RemainingAfter} left this month. Ref {credit.Ref}.";
        return Reply.Show("credit-receipt", card, text);
    }

    public static Reply Undone(Credit credit, Money remaining) =>
        Show(UndoneCard(credit, remaining.ToString()), $"Undid {credit.Ref}: {credit.Amount} to {credit.Customer} is back in your budget. {remaining} left this month.");

    /// <summary>An undo clicked again, or typed after the fact: the same undone receipt, with a sentence saying so.</summary>
    public static Reply AlreadyUndone(Credit credit, Money remaining) =>
        new($"{credit.Ref} was already undone; {remaining} left this month.", UndoneCard(credit, remaining.ToString()).Card);

    private static Reply UndoneCard(Credit credit, string remaining) => Reply.Show("credit-receipt",
        new CreditReceiptCard("Credit undone", true, credit.Amount.ToString(), credit.Customer, credit.Reason, credit.Ref,
            remaining, false, "", "The credit stays in your history as undone.", ""),
        $"{credit.Ref} is undone.");

    private static Reply Show(Reply card, string summary) => card with { Card = card.Card! with { Summary = summary } };

    public static Reply Refused(Credit credit)
    {
        var card = new CreditRefusedCard(
            "This credit can't be applied",
            credit.Amount.ToString(),
            credit.Customer,
            credit.Reason,
            credit.Note,
            credit.WhatToDo ?? "Talk to your team lead about what else you can do for this customer.",
            RuleLabel(credit.Rule));
        return Reply.Show("credit-refused", card, $"I can't apply {credit.Amount} to {credit.Customer}: {credit.Note}");
    }

    /// <summary>A redelivered request whose exception was meanwhile decided.</summary>
    public static Reply Settled(Credit credit) => Reply.Say(credit.Status switch
    {
        CreditStatus.Declined => $"{credit.Ref} ({credit.Amount} to {credit.Customer}) was declined by a manager; nothing was credited.",
        CreditStatus.Withdrawn => $"{credit.Ref} ({credit.Amount} to {credit.Customer}) was withdrawn; nothing was credited.",
        _ => $"{credit.Ref} ({credit.Amount} to {credit.Customer}) expired before a manager decided; nothing was credited.",
    });

    /// <summary>Why a credit is an exception, in a few words: "over your remaining budget".</summary>
    public static string RuleInShort(string ruleId) => ruleId switch
    {
        "over-budget" => "over your remaining budget",
        "exception-threshold" => "over the single-credit limit",
        "reason-cap" => "over the cap for this reason",
        "repeat-customer" => "a repeat credit to this customer",
        _ => RuleLabel(ruleId).ToLowerInvariant(),
    };

    /// <summary>A rule id in words: "hard-maximum" is "Hard maximum (non-negotiable)".</summary>
    public static string RuleLabel(string ruleId)
    {
        var rule = PolicyRule.InPrecedenceOrder.FirstOrDefault(r => r.Id == ruleId);
        var words = ruleId.Replace('-', ' ');
        var label = words.Length == 0 ? "" : char.ToUpperInvariant(words[0]) + words[1..];
        return rule?.Outcome == CreditOutcome.Refused ? label + " (non-negotiable)" : label;
    }
}
