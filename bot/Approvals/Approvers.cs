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
        foreach (var level in Levels(requester, amount))
        {
            var asked = new List<Member>();
            foreach (var member in level)
            {
                var absence = await away.ActiveAsync(requester.TenantId, member.PersonKey, ct);
                if (absence is null) asked.Add(member);
                else if (absence.DelegateKey is { } cover && !Same(cover, requester.Key) && await away.ActiveAsync(requester.TenantId, cover, ct) is null)
                    asked.Add(new Member(cover, absence.DelegateName ?? cover, "", Role.Manager));
            }
            var distinct = asked.DistinctBy(m => m.PersonKey.ToLowerInvariant()).ToList();
            if (distinct.Count > 0) return distinct;
        }
        return Fallback(requester, []);
    }

    /// <summary>The approvers a request for <paramref name="amount"/> goes to first.</summary>
    public IReadOnlyList<Member> For(Person requester, Money amount) => Levels(requester, amount).FirstOrDefault() ?? Fallback(requester, []);

    /// <summary>The next level up from the approvers now asked, or empty when nobody is above them.</summary>
    public IReadOnlyList<Member> Above(Person requester, Money amount, IReadOnlyCollection<string> current)
    {
        var levels = Levels(requester, amount);
        var asked = levels.FindIndex(level => level.Any(m => current.Contains(m.PersonKey, StringComparer.OrdinalIgnoreCase)));
        // Those asked are the fallback approvers themselves (no manager level holds them): nobody is above them.
        if (asked < 0) return [];
        return asked + 1 < levels.Count ? levels[asked + 1] : Fallback(requester, current);
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
