using EmpowerBot.Budget;
using EmpowerBot.Conversation;

namespace EmpowerBot.Insights;

/// <summary>
/// "kudos &lt;what a customer said or what a colleague did&gt;", optionally naming a colleague ("kudos to Megan Bowen
/// for …"). It shows in the team's digest, and the named colleague is told.
/// </summary>
public sealed class KudosCommand(KudosLog log, Roster roster, Notifier notifier, TimeProvider clock) : ICommand
{
    public const int MaxLength = 500;

    public CommandInfo Info { get; } = new("kudos", "kudos to Megan for calming a furious customer",
        "Share good news: what a customer said or what a colleague did", "Good news");

    public bool Recognizes(string text) => text == "kudos" || text.StartsWith("kudos ", StringComparison.Ordinal);

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var (turn, person) = context;
        var raw = (turn.Text ?? "").Trim();
        var text = raw.Length > 5 ? raw[(raw.IndexOf(' ') + 1)..].Trim() : "";
        if (text.Length == 0)
        {
            return TurnResult.Of(Reply.Say("Tell me the good news after the word: for example **kudos to Megan for calming a furious customer**, or **kudos a customer wrote 'best service ever'**."));
        }
        if (text.Length > MaxLength)
        {
            return TurnResult.Of(Reply.Say($"That is too long for kudos ({text.Length:N0} characters; at most {MaxLength}). Nothing was saved."));
        }
        var (colleague, deed) = NamedColleague(person, text);
        // "to Megan for taking the angry call": the quote is what was done ("For taking the angry call"); who is named apart.
        if (colleague is not null && deed.Length > 0) text = char.ToUpperInvariant(deed[0]) + deed[1..];
        var team = colleague?.Team ?? person.Team;
        if (team is null)
        {
            return TurnResult.Of(Reply.Say("Thank you! You are not on a team in EmpowerBot yet, so there is no team digest to share it in. Nothing was saved."));
        }
        var now = clock.GetUtcNow();
        var period = Period.Containing(now, team.TimeZone);
        var kudo = new Kudo("", text, person.Name, colleague?.Key, colleague?.Name, now);
        var key = $"{turn.Conversation.ChannelId}:{turn.ActivityId}";
        if (await log.AddAsync(person.TenantId, team.Id, period, key, kudo, ct) && colleague is not null)
        {
            var note = $"{person.Name} sent you kudos: \"{text}\"";
            await notifier.SendAsync($"kudos-{Hash(key)}", Notification.Of(person.TenantId, colleague.Key, Reply.Say(note)), ct);
        }
        return TurnResult.Of(Reply.Say(colleague is null
            ? $"Thank you! That goes into {team.Name}'s digest of good news."
            : $"Thank you! {colleague.Name} will hear it, and it goes into {team.Name}'s digest of good news."));
    }

    /// <summary>
    /// A roster member named right after "kudos" (optionally "to"), by full or unique first name, never the sender; with
    /// the words after the name ("for taking the angry call").
    /// </summary>
    private (Person? Colleague, string Deed) NamedColleague(Person sender, string text)
    {
        var words = text.StartsWith("to ", StringComparison.OrdinalIgnoreCase) ? text[3..] : text.TrimStart('@');
        var members = roster.Teams.Where(t => t.Tenant.Length == 0 || t.Tenant == sender.TenantId).SelectMany(t => t.Members)
            .Where(m => !string.Equals(m.PersonKey, sender.Key, StringComparison.OrdinalIgnoreCase)).ToList();
        var full = members.FirstOrDefault(m => m.Name.Length > 0 && words.StartsWith(m.Name, StringComparison.OrdinalIgnoreCase));
        var byFirst = members.Where(m => m.Name.Length > 0 && words.StartsWith(m.Name.Split(' ')[0] + " ", StringComparison.OrdinalIgnoreCase)).ToList();
        var member = full ?? (byFirst.Count == 1 ? byFirst[0] : null);
        if (member is null) return (null, text);
        var named = full is not null ? member.Name.Length : member.Name.Split(' ')[0].Length;
        var deed = words[named..].TrimStart(' ', ',', ':', '-', '!').Trim();
        return (roster.Resolve(sender.TenantId, member.PersonKey, member.Name), deed);
    }

    private static string Hash(string s) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s)))[..24];
}
