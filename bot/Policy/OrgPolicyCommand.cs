using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using Microsoft.Extensions.Options;
using Change = EmpowerBot.Conversation.OrganizationStore.Change;

namespace EmpowerBot.Policy;

/// <summary>View model of cards/org-policy-edit.json: the organisation's non-negotiable rules as inputs.</summary>
public sealed record OrgPolicyCard(string Title, string Intro, bool HasProblems, IReadOnlyList<FormProblem> Problems, string HardMaximum,
    string Forbidden, string HoldList, string Op, string Stamp);

/// <summary>
/// "org policy" (org admins): the organisation's non-negotiable rules — the hard maximum for one credit, the forbidden
/// reasons, the hold list — as a card, saved for every team at once. No team's own policy can loosen them; a change
/// that a team's limits would break (a hard maximum below its single-credit limit) is refused, naming the team.
/// Validated, decided on the stored organisation (a stale card is refused), audited, and every rep told.
/// </summary>
public sealed class OrgPolicyCommand(Roster roster, OrganizationSync organization, IOptions<PolicyOptions> root, Notifier notifier,
    TimeProvider clock, ILogger<OrgPolicyCommand> log) : ICommand
{
    public const string SubmitCommand = "org-policy-save";

    private static readonly HashSet<string> Phrases =
    [
        "org policy", "organisation policy", "organization policy", "org rules", "organisation rules", "organization rules",
        "company policy", "company rules", "edit org policy", "change org policy", "org-policy", SubmitCommand,
    ];

    public CommandInfo Info { get; } = new("org policy", "org policy",
        "Admins: the organisation's fixed rules (hard maximum, forbidden reasons, hold list) for every team", "Your team", ManagersOnly: true, InMenu: false);

    public bool Recognizes(string text) => Phrases.Contains(text);

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var person = await organization.CurrentAsync(context.Person, ct);
        if (!roster.IsAdmin(person)) return Say("The organisation's fixed rules are set by EmpowerBot admins. Your team's own limits: **policy** (managers) or **limits**.");
        var data = context.Turn.FormData;
        if (SubmittedCommand.From(data) != SubmitCommand) return TurnResult.Of(Card(Current(roster.Rules), []));

        var stamp = SubmittedCommand.Field(data!.Value, "stamp");
        var problems = new List<string>();
        var changes = new List<PolicyChange>();
        OrgRules? before = null;
        var now = clock.GetUtcNow();
        var saved = await organization.ChangeWhenAsync((teams, stored) =>
        {
            before = Current(stored);
            if (StampOf(before) != stamp) return null;
            var after = Read(data.Value, before, problems);
            if (after is null) return null;
            foreach (var team in teams.Where(t => t.Tenant.Length == 0 || string.Equals(t.Tenant, person.TenantId, StringComparison.OrdinalIgnoreCase)))
            {
                var broken = after.Over(team.Policy ?? root.Value).Problems(PolicyOptions.Section);
                if (broken.Count > 0) problems.Add($"{team.Name}: {string.Join(" ", broken)} Change the team's limits first, or choose another value.");
            }
            if (problems.Count > 0) return null;
            changes.AddRange(Differences(before, after));
            if (changes.Count == 0) return null;
            var audit = changes.Select((c, i) => OrganizationRows.Audit(person.TenantId, now, i, "*", person.Key, person.Name, c.Field, c.Label, c.From, c.To)).ToList();
            return ([new Change.PutRules(after)], audit);
        }, ct);

        if (problems.Count > 0) return TurnResult.Of(Card(before ?? Current(roster.Rules), problems, data));
        if (!saved && before is not null && StampOf(before) != stamp)
            return TurnResult.Of(Card(before, ["The organisation's rules changed since this card was opened: here they are now. Make your change again and save."]));
        if (!saved) return Say("Nothing changed: those are the organisation's rules already.");

        log.LogInformation("{Person} changed the organisation's rules: {Changes}", person.Key, string.Join("; ", changes.Select(c => $"{c.Field} {c.From} → {c.To}")));
        var lines = string.Join("\n", changes.Select(c => $"- {c.Label}: {c.From} → {c.To}"));
        var reps = roster.Teams.Where(t => Roster.AppliesTo(t, person.TenantId)).SelectMany(t => t.Members).Where(m => m.Role == Role.Rep && m.PersonKey.Length > 0)
            .Select(m => m.PersonKey).Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var rep in reps)
        {
            await notifier.SendAsync($"org-policy-{now.UtcTicks}-{rep}", Notification.Of(person.TenantId, rep, Reply.Say(
                $"The organisation's credit rules changed, from now on:\n\n{lines}\n\nSay **limits** to see yours.")), ct);
        }
        return Say($"Saved for every team:\n\n{lines}\n\nEvery rep has been told, and the change is in the audit trail.");
    }

    /// <summary>The rules in force: those the admins set, else the configured default policy's.</summary>
    private OrgRules Current(OrgRules? stored) => stored ?? new OrgRules
    {
        HardMaximum = root.Value.HardMaximum,
        ForbiddenReasons = [.. root.Value.ForbiddenReasons.Select(f => new ForbiddenReasonOptions { Name = f.Name, Aliases = [.. f.Aliases] })],
        HoldList = [.. root.Value.HoldList],
    };

    private static string StampOf(OrgRules rules) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(rules))))[..16];

    private static Reply Card(OrgRules rules, IReadOnlyList<string> problems, JsonElement? typed = null)
    {
        string Value(string id, string current) => typed is { } data && SubmittedCommand.Field(data, id) is { } v ? v : current;
        var card = new OrgPolicyCard(
            "The organisation's fixed rules",
            problems.Count == 0
                ? "These hold for every team, and no team's own policy can loosen them. Every rep hears what changes."
                : "Nothing was saved yet:",
            problems.Count > 0,
            problems.Select(p => new FormProblem(p)).ToList(),
            Value("hardMaximum", rules.HardMaximum is { } max ? max.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) : ""),
            Value("forbidden", string.Join(", ", rules.ForbiddenReasons.Select(f => f.Name))),
            Value("holdList", string.Join(", ", rules.HoldList)),
            CardKeys.Mint(),
            StampOf(rules));
        return Reply.Show("org-policy-edit", card, $"{card.Title}. " + (problems.Count > 0 ? string.Join(" ", problems) : card.Intro));
    }

    /// <summary>The submitted rules, or null with the problems; the aliases of forbidden reasons that stay are kept.</summary>
    private static OrgRules? Read(JsonElement data, OrgRules before, List<string> problems)
    {
        decimal? max = null;
        var maxText = (SubmittedCommand.Field(data, "hardMaximum") ?? "").Trim().TrimStart('$', '€', '£').Replace(",", "", StringComparison.Ordinal);
        if (maxText.Length > 0 && !maxText.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            if (!decimal.TryParse(maxText, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var m) || m <= 0 || m > 1_000_000)
                problems.Add($"The hard maximum is an amount above 0 and at most 1,000,000, or empty for none, not \"{TextCut.Shorten(maxText, 20)}\".");
            else max = m;
        }
        var forbidden = new List<ForbiddenReasonOptions>();
        foreach (var name in Split(SubmittedCommand.Field(data, "forbidden")))
        {
            if (name.Length is < 2 or > 60) { problems.Add($"A forbidden reason is 2 to 60 characters: \"{TextCut.Shorten(name, 30)}\"."); continue; }
            if (forbidden.Any(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))) continue;
            var kept = before.ForbiddenReasons.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            forbidden.Add(new ForbiddenReasonOptions { Name = name, Aliases = [.. kept?.Aliases ?? []] });
        }
        var hold = new List<string>();
        foreach (var entry in Split(SubmittedCommand.Field(data, "holdList")))
        {
            if (!CustomerRef.TryNormalize(entry, out var customer, out var error)) problems.Add($"Hold list: \"{TextCut.Shorten(entry, 30)}\": {error}");
            else if (!hold.Contains(customer, StringComparer.Ordinal)) hold.Add(customer);
        }
        return problems.Count > 0 ? null : new OrgRules { HardMaximum = max, ForbiddenReasons = forbidden, HoldList = hold };
    }

    private static IEnumerable<PolicyChange> Differences(OrgRules a, OrgRules b)
    {
        string Max(decimal? m) => m is { } v ? v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "none";
        string Names(IEnumerable<string> names) => string.Join(", ", names) is { Length: > 0 } list ? list : "none";
        if (a.HardMaximum != b.HardMaximum) yield return new("hardMaximum", "Hard maximum for one credit", Max(a.HardMaximum), Max(b.HardMaximum));
        var fa = Names(a.ForbiddenReasons.Select(f => f.Name));
        var fb = Names(b.ForbiddenReasons.Select(f => f.Name));
        if (fa != fb) yield return new("forbiddenReasons", "Never for", fa, fb);
        if (!a.HoldList.SequenceEqual(b.HoldList)) yield return new("holdList", "Customers on hold", $"{a.HoldList.Count}", $"{b.HoldList.Count}: {Names(b.HoldList)}");
    }

    private static IEnumerable<string> Split(string? text) =>
        (text ?? "").Split([',', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static TurnResult Say(string text) => TurnResult.Of(Reply.Say(text));
}
