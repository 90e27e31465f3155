using EmpowerBot.Budget;
using EmpowerBot.Conversation;

namespace EmpowerBot.Approvals;

/// <summary>
/// "away until Friday, Lee covers": while an approver is away, new exceptions that would go to them go to the colleague
/// who covers (with the same authority), and those already waiting for them move to that colleague now; both are told.
/// Without cover, requests go to the next level up, then to the fallback approvers. "back" (or the day named) ends it.
/// </summary>
public sealed class AwayCommand(AwayStore away, ApproverHandOver handOver, Roster roster, Approvers approvers,
    Notifier notifier, PeopleDirectory people, TimeProvider clock, ILogger<AwayCommand> log) : ICommand
{
    public CommandInfo Info { get; } = new("away", "away until Friday, Lee covers",
        "Going out: your approval requests go to whoever covers until you are back (\"back\" ends it early)", "Approvals", ManagersOnly: true, InMenu: false);

    public bool Recognizes(string text) => AwayText.Recognizes(text);

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var person = context.Person;
        var text = CommandText.Normalize(context.Turn.Text);
        if (!approvers.MayApprove(person))
            return TurnResult.Of(Reply.Say("Away is for approvers: it sends your approval requests to whoever covers. For a short pause, say **break**."));
        var zone = person.ReadingZone;
        var now = clock.GetUtcNow();
        if (AwayText.Phrase().Match(text) is not { Success: true } m || AwayText.Named(m) is not { } named)
        {
            var current = await away.ActiveAsync(person.TenantId, person.Key, ct);
            var state = current is null ? "You are not away." : $"You are away until {Day(current.Until, zone)}" + (current.DelegateName is { } d ? $", {d} covers." : ", with no one covering.");
            return TurnResult.Of(Reply.Say($"{state} Say when you are back and who covers, like **away until Friday, Lee covers**; **back** ends it."));
        }
        if (AwayText.BackAfter(m, now, zone) is not { } until)
            return TurnResult.Of(Reply.Say($"I couldn't read \"{named}\" as a day after today (within {AwayText.MaxDays} days): try **away until Friday** or **away until Dec 12**. Nothing was changed."));
        var coverName = (m.Groups["delegate"].Success ? m.Groups["delegate"].Value : m.Groups["delegate2"].Success ? m.Groups["delegate2"].Value : "").Trim();
        Member? cover = null;
        if (coverName.Length > 0)
        {
            var matches = Candidates(person, coverName);
            if (matches.Count != 1)
                return TurnResult.Of(Reply.Say(matches.Count == 0
                    ? $"I couldn't find an approver called \"{coverName}\" to cover for you; name a manager on the roster, like **away until Friday, Lee covers**. Nothing was changed."
                    : $"More than one approver is called \"{coverName}\" ({string.Join(", ", matches.Select(c => c.Name))}): use their full name. Nothing was changed."));
            cover = matches[0];
            if (await away.ActiveAsync(person.TenantId, cover.PersonKey, ct) is { } coverAway)
                return TurnResult.Of(Reply.Say($"{cover.Name} is away too, until {Day(coverAway.Until, zone)}: name someone else to cover. Nothing was changed."));
        }
        await away.SaveAsync(person.TenantId, new Absence(person.Key, until, cover?.PersonKey, cover?.Name, now), ct);
        var moved = cover is null ? 0 : await HandOverAsync(person, cover, ct);
        log.LogInformation("{Person} away until {Until}, covered by {Cover}; {Moved} waiting request(s) handed over", person.Key, until, cover?.PersonKey ?? "no one", moved);
        if (cover is not null)
        {
            var coverZone = await people.ReadingZoneAsync(person.TenantId, cover.PersonKey, person.Team?.TimeZone ?? TimeZoneInfo.Utc, ct);
            await notifier.SendAsync($"away-cover-{person.Key}-{now.UtcTicks}", Notification.Of(person.TenantId, cover.PersonKey, Reply.Say(
                $"{person.Name} is away until {Day(until, coverZone)} and asked you to cover: their approval requests come to you until then" +
                (moved > 0 ? $", starting with the {Plural(moved)} waiting now." : "."))), ct);
        }
        var who = cover is null
            ? "No one covers, so new requests go to the next approver up (or the fallback approvers)."
            : $"{cover.Name} covers: new requests go to them" + (moved > 0 ? $", and the {Plural(moved)} waiting for you went to them now." : ".");
        return TurnResult.Of(Reply.Say($"You're away until {Day(until, zone)}. {who} Say **back** when you return."));
    }

    private static string Plural(int count) => count == 1 ? "request" : $"{count} requests";

    private static string Day(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("dddd, MMM d", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Approvers in the person's tenant whose full or first name is <paramref name="named"/>, never the person.</summary>
    private List<Member> Candidates(Person person, string named)
    {
        var all = roster.Teams.Where(t => t.Tenant.Length == 0 || string.Equals(t.Tenant, person.TenantId, StringComparison.OrdinalIgnoreCase))
            .SelectMany(t => t.Managers)
            .Where(m => !string.Equals(m.PersonKey, person.Key, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(m => m.PersonKey.ToLowerInvariant())
            .ToList();
        var full = all.Where(m => string.Equals(m.Name, named, StringComparison.OrdinalIgnoreCase)).ToList();
        return full.Count > 0 ? full : all.Where(m => string.Equals(ApprovalCards.FirstName(m.Name), named, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>Moves every request waiting for the person to the colleague who covers, with the pending index; returns how many moved.</summary>
    private Task<int> HandOverAsync(Person person, Member cover, CancellationToken ct) =>
        handOver.MoveAsync(person.TenantId, person.Key, r => [.. r.Approvers.Where(a => !string.Equals(a, person.Key, StringComparison.OrdinalIgnoreCase)), cover.PersonKey], ct);
}
