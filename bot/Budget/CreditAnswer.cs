using System.Globalization;
using EmpowerBot.Conversation;
using EmpowerBot.Policy;

namespace EmpowerBot.Budget;

/// <summary>View model of cards/credit-question.json.</summary>
/// <param name="Color">"Good", "Warning" or "Attention": would apply, needs a manager, not allowed.</param>
/// <param name="CanAct">False when the credit is not allowed: no button then, as no approval can lift the rule.</param>
public sealed record CreditQuestionCard(string Title, string Color, string Amount, string Customer, string Reason, string Sentence,
    bool HasWhatToDo, string WhatToDo, bool HasNote, string Note, string Rule, bool CanAct, string ActTitle,
    string AmountValue, string ReasonValue, string Op);

/// <summary>The answer to a question about a credit: what the policy would decide, and the button that would do it.</summary>
public static class CreditAnswer
{
    public static Reply For(ParsedCredit parsed, CreditDecision decision, Team team, IReadOnlyList<string> approvers)
    {
        var amount = parsed.Amount!.Value;
        var customer = parsed.Customer!;
        var reason = parsed.Reason?.Name ?? parsed.ReasonText ?? "no reason given yet";
        var who = approvers.Count is > 0 and <= 2 ? string.Join(" or ", approvers) : "a manager";
        var (title, color, act) = decision.Outcome switch
        {
            CreditOutcome.Applied => ("Yes, you can give this credit", "Good", "Apply"),
            CreditOutcome.NeedsApproval => ($"This credit would need {Possessive(who)} approval", "Warning", "Ask " + who),
            _ => ("This credit isn't allowed", "Attention", ""),
        };
        var sentence = decision.Outcome switch
        {
            CreditOutcome.Applied => $"{decision.Sentence} Click Apply to give it.",
            CreditOutcome.NeedsApproval when approvers.Count == 0 => $"{decision.Sentence} Your team has no manager set up in EmpowerBot to ask yet.",
            CreditOutcome.NeedsApproval => $"{decision.Sentence} Click Ask {who} to send {(approvers.Count == 1 ? "them" : "a manager")} the request.",
            _ => decision.Sentence,
        };
        var note = decision.IsRefused || parsed.Reason is not null ? ""
            : parsed.ReasonText is { } written ? $"'{written}' is not one of the team's credit reasons; you'll pick one when you click {act}."
            : $"You'll pick the reason when you click {act}.";
        var card = new CreditQuestionCard(
            title,
            color,
            amount.ToString(),
            customer,
            reason,
            sentence,
            decision.WhatToDo is not null,
            decision.WhatToDo ?? "",
            note.Length > 0,
            note,
            CreditReplies.RuleLabel(decision.Rule.Id),
            !decision.IsRefused,
            act,
            amount.ToDecimal().ToString("F" + team.Currency.Decimals, CultureInfo.InvariantCulture),
            parsed.Reason?.Name ?? "",
            // Minted now, carried back by the button: however often it is clicked, it credits (or asks) once.
            CardKeys.Mint());
        var advice = decision.WhatToDo is { } what ? " " + what : "";
        var summary = $"{title}: {amount} to {customer} ({reason.ToLowerInvariant()}). {sentence}{advice} Rule: {card.Rule}. Nothing has been applied.";
        return Reply.Show("credit-question", card, summary);
    }

    private static string Possessive(string name) => name == "a manager" ? "a manager's" : name + "'s";
}
