using System.Globalization;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;
using Microsoft.Extensions.Options;
using Change = EmpowerBot.Conversation.OrganizationStore.Change;

namespace EmpowerBot.Policy;

/// <summary>
/// The policy card's Save: a team's manager changes its limits. Validated (a clear message and the card again, nothing
/// saved, on any bad value), decided on the organisation as stored at that moment (a card older than the last change
/// is refused with the current limits), stored with its audit rows in one batch (who, when, from → to), and the team's
/// reps told in plain words. Saving the same card twice changes nothing the second time.
/// </summary>
public sealed class PolicySaveCommand(Roster roster, OrganizationSync organization, IOptions<PolicyOptions> root, Notifier notifier,
    TimeProvider clock, ILogger<PolicySaveCommand> log) : ICommand
{
    public CommandInfo Info { get; } = new(PolicyEdit.SubmitCommand, "policy",
        "Your team's limits as a card to change and save: budget, single-credit limit, reason caps, repeat customers, undo window", "Your team",
        ManagersOnly: true, InMenu: false);

    public bool Recognizes(string text) => text == PolicyEdit.SubmitCommand;

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var person = await organization.CurrentAsync(context.Person, ct);
        if (person.Team is not { } team || !person.IsManager || context.Turn.FormData is not { } data || !PolicyEdit.IsSubmission(data))
            return Say("Only a team's managers can change its limits. Nothing was changed.");
        var stamp = SubmittedCommand.Field(data, "stamp");
        IReadOnlyList<PolicyChange> changes = [];
        IReadOnlyList<string> problems = [];
        TeamOptions? shown = null;
        OrgRules? rules = null;
        var now = clock.GetUtcNow();
        var saved = await organization.ChangeWhenAsync((teams, stored) =>
        {
            var current = teams.FirstOrDefault(t => string.Equals(t.Id, team.Id, StringComparison.OrdinalIgnoreCase));
            (shown, rules) = (current, stored);
            if (current is null || PolicyEdit.StampOf(current, root.Value, stored) != stamp) return null;
            var (changed, found, bad) = PolicyEdit.Apply(current, root.Value, stored, data);
            (changes, problems) = (found, bad);
            if (changed is null || found.Count == 0) return null;
            var audit = found.Select((c, i) => AuditRow(person, team, c, now, i)).ToList();
            return ([new Change.PutTeam(changed)], audit);
        }, ct);

        if (shown is null) return Say("Your team is no longer in EmpowerBot. Nothing was changed.");
        if (problems.Count > 0) return TurnResult.Of(PolicyEdit.Card(shown, root.Value, rules, problems, data));
        if (!saved && changes.Count == 0 && PolicyEdit.StampOf(shown, root.Value, rules) != stamp)
            return TurnResult.Of(PolicyEdit.Card(shown, root.Value, rules,
                ["The team's limits changed since this card was opened: here they are now. Make your change again and save."]));
        if (!saved) return Say($"Nothing changed: those are {team.Name}'s limits already.");

        log.LogInformation("{Person} changed {Team}'s policy: {Changes}", person.Key, team.Id, string.Join("; ", changes.Select(c => $"{c.Field} {c.From} → {c.To}")));
        var lines = string.Join("\n", changes.Select(c => $"- {c.Label}: {c.From} → {c.To}"));
        foreach (var rep in (roster.FindTeam(person.TenantId, team.Id)?.Members ?? []).Where(m => m.Role == Role.Rep && m.PersonKey.Length > 0))
        {
            await notifier.SendAsync($"policy-{team.Id}-{now.UtcTicks}-{rep.PersonKey}", Notification.Of(person.TenantId, rep.PersonKey, Reply.Say(
                $"{person.Name} changed {team.Name}'s credit limits, from now on:\n\n{lines}\n\nSay **limits** to see them all.")), ct);
        }
        return Say($"Saved. {team.Name}'s limits from now on:\n\n{lines}\n\nThe team's reps have been told, and the change is in the audit trail.");
    }

    private static TableEntity AuditRow(Person person, Team team, PolicyChange change, DateTimeOffset at, int n) =>
        OrganizationRows.Audit(person.TenantId, at, n, team.Id, person.Key, person.Name, change.Field, change.Label, change.From, change.To);

    private static TurnResult Say(string text) => TurnResult.Of(Reply.Say(text));
}
