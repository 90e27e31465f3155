using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Approvals;

/// <summary>
/// Who may decide a rep's exception: their team's managers of the lowest level that can approve the amount (a member's
/// ApprovesUpTo; none set, every manager is one level), never the rep; above the last level, or with no manager, the
/// fallback approvers.
/// </summary>
public sealed class Approvers(Roster roster, AwayStore away, IOptions<ApprovalOptions> options)
{
    private static readonly IReadOnlySet<string> Nobody = new HashSet<string>();

    /// <summary>True for anyone who may be asked to decide: a manager on a roster, or a fallback approver.</summary>
    public bool MayApprove(Person person) =>
        person.IsManager || options.Value.FallbackApprovers.Contains(person.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The approvers a request for <paramref name="amount"/> goes to now: as <see cref="For"/>, with each approver who is
    /// away replaced by whoever covers for them; a level whose approvers are all away with no cover is skipped, and
    /// with none left the fallback approvers are asked.
    /// </summary>
    public async Task<IReadOnlyList<Member>> ForAsync(Person requester, Money amount, CancellationToken ct)
    {
        var levels = Levels(requester, amount);
        if (levels.Count == 0) return Fallback(requester, []);
        var absent = await away.ActiveByPersonAsync(requester.TenantId, ct);
        foreach (var level in levels)
        {
            if (Present(requester, level, Nobody, absent) is { Count: > 0 } present) return present;
        }
        return Fallback(requester, []);
    }

    /// <summary>
    /// The level's approvers who can be asked now, each one away replaced by whoever covers (when that one is not away
    /// too), leaving out the requester and <paramref name="exclude"/>.
    /// </summary>
    private static List<Member> Present(Person requester, IReadOnlyList<Member> level, IReadOnlySet<string> exclude, IReadOnlyDictionary<string, Absence> away)
    {
        var asked = new List<Member>();
        foreach (var member in level)
        {
            if (!away.TryGetValue(member.PersonKey, out var absence)) asked.Add(member);
            else if (absence.DelegateKey is { } cover && !Same(cover, requester.Key) && !away.ContainsKey(cover))
                asked.Add(new Member(cover, absence.DelegateName ?? cover, "", Role.Manager));
        }
        return asked.Where(m => !exclude.Contains(m.PersonKey)).DistinctBy(m => m.PersonKey.ToLowerInvariant()).ToList();
    }

    /// <summary>The approvers a request for <paramref name="amount"/> goes to first.</summary>
    public IReadOnlyList<Member> For(Person requester, Money amount) => Levels(requester, amount).FirstOrDefault() ?? Fallback(requester, []);

    /// <summary>
    /// The next level up from the approvers now asked, or empty when nobody is above them. Someone covering for an
    /// approver who is away holds that approver's place, so passing up goes above the level they cover. A level above
    /// whose approvers are all away with no cover is skipped, as when a request is first sent.
    /// </summary>
    public async Task<IReadOnlyList<Member>> AboveAsync(Person requester, Money amount, IReadOnlyCollection<string> current, CancellationToken ct)
    {
        var levels = Levels(requester, amount);
        if (levels.Count == 0) return [];
        var holders = current.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var absent = await away.ActiveByPersonAsync(requester.TenantId, ct);
        bool Holds(Member m) => holders.Contains(m.PersonKey) || (absent.TryGetValue(m.PersonKey, out var a) && a.DelegateKey is { } cover && holders.Contains(cover));
        var asked = levels.FindLastIndex(level => level.Any(Holds));
        // Those asked are the fallback approvers themselves (no manager level holds them): nobody is above them.
        if (asked < 0) return [];
        for (var i = asked + 1; i < levels.Count; i++)
        {
            if (Present(requester, levels[i], holders, absent) is { Count: > 0 } present) return present;
        }
        return Fallback(requester, current);
    }

    /// <summary>The team's managers who can approve the amount, grouped by level, lowest first.</summary>
    private static List<IReadOnlyList<Member>> Levels(Person requester, Money amount) =>
        (requester.Team?.Managers ?? [])
            .Where(m => !Same(m.PersonKey, requester.Key) && m.CanApprove(amount))
            .GroupBy(m => m.Level)
            .OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<Member>)g.ToList())
            .ToList();

    private IReadOnlyList<Member> Fallback(Person requester, IReadOnlyCollection<string> current) => options.Value.FallbackApprovers
        .Where(key => !Same(key, requester.Key) && !current.Contains(key, StringComparer.OrdinalIgnoreCase))
        .Select(key => roster.Resolve(requester.TenantId, key, null))
        .Select(p => new Member(p.Key, p.Name, "", Role.Manager))
        .ToList();

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
