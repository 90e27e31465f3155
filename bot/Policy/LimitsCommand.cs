using EmpowerBot.Budget;
using EmpowerBot.Conversation;

namespace EmpowerBot.Policy;

/// <summary>"limits" (also "rules", "policy", "what can I give without asking?"): the rep's own policy in plain words.</summary>
public sealed partial class LimitsCommand(Ledger ledger, IExceptionRequests exceptions, Roster roster,
    Microsoft.Extensions.Options.IOptions<PolicyOptions> root) : ICommand
{
    private static readonly HashSet<string> Phrases =
    [
        "limits", "rules", "policy", "my limits", "my limit", "my rules", "my policy", "the rules", "the policy", "our policy",
        "team policy", "credit rules", "credit policy", "credit limits", "refund policy", "show limits", "show my limits", "show the rules",
        "policy rules", "limits please", "rules please", "spending limits", "max credit", "max refund", "maximum credit",
        "maximum refund", "credit limit", "my credit limit",
    ];

    /// <summary>What a manager says for the team's editable policy card.</summary>
    private static readonly HashSet<string> EditPhrases =
    [
        "policy", "team policy", "the policy", "our policy", "credit policy", "edit policy", "change policy", "edit the policy",
        "change the policy", "team limits", "edit limits", "change limits", "edit team policy", "change team policy",
    ];

    public CommandInfo Info { get; } = new("limits", "limits",
        "Your credit policy in plain words: what you can give on your own, what needs a manager, what is never allowed", "Your budget", InMenu: false);

    public bool Recognizes(string text) => Phrases.Contains(text) || EditPhrases.Contains(text) || Asked().IsMatch(text);

    /// <summary>Questions about the rules themselves, never about one credit (those carry an amount): "what's the most I can credit".</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?!.*\d)(?:(?:hey|so|ok|okay|quick question),? )?(?:what|what's|whats|what is|what are|how much|how high|how big|show|show me|tell me|remind me|which)\b.*\b(?:(?:limits?|rules|policy)\b.*|(?:max|maximum|highest|biggest|largest)(?: (?:single |one )?(?:credit|refund|amount))?(?: (?:i|we) can (?:credit|give|refund|do))?|on my own|by myself|without (?:asking|approval|a manager|my manager|permission)(?: (?:my|a|the) (?:manager|lead|team lead|boss))?|most (?:i|we) can (?:credit|give|refund|spend|approve))$")]
    private static partial System.Text.RegularExpressions.Regex Asked();

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var person = context.Person;
        if (person.Team is not { } team)
        {
            return TurnResult.Of(Reply.Say("You are not on a team with a discretionary budget yet. Ask your manager to add you to the EmpowerBot roster."));
        }
        // A team's manager asking for the policy gets the team's policy as a card they can change; "limits" stays theirs.
        if (person.IsManager && EditPhrases.Contains(CommandText.Normalize(context.Turn.Text)) && roster.TeamSettings.FirstOrDefault(t => string.Equals(t.Id, team.Id, StringComparison.OrdinalIgnoreCase)) is { } settings)
        {
            return TurnResult.Of(PolicyEdit.Card(settings, root.Value, roster.Rules, []));
        }
        var status = await ledger.GetStatusAsync(person, team, ct);
        var card = LimitsCard.From(team, status, exceptions.ApproverNames(person));
        return TurnResult.Of(Reply.Show("limits", card, card.Summary));
    }
}
