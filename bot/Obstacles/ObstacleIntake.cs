using EmpowerBot.Conversation;
using EmpowerBot.Conversation.Cards;

namespace EmpowerBot.Obstacles;

/// <summary>
/// Takes a submission however it arrived (typed, form, "log mine separately"): refuses what cannot be logged, answers a
/// redelivery with what it already logged, shows similar open obstacles first, and otherwise logs it.
/// </summary>
public sealed class ObstacleIntake(ObstacleCorpus corpus, ObstacleLog log, ObstacleCards cards)
{
    public const int MaxSimilarShown = 3;

    /// <summary>Why a draft cannot be logged, or null when it can.</summary>
    public static string? Problem(string text) => text.Trim().Length switch
    {
        0 => "Describe what gets in the way (or your idea) in a sentence or two.",
        > ObstacleText.MaxLength and var n => $"That is {n:N0} characters; I keep obstacles and ideas to {ObstacleText.MaxLength:N0}. " +
            "Put the gist in a few sentences; the details can follow when a manager picks it up. Nothing was logged.",
        _ => null,
    };

    /// <param name="checkSimilar">False when the person already saw the similar ones and chose to log theirs separately.</param>
    public async Task<Reply> SubmitAsync(TurnContext context, ObstacleDraft draft, bool checkSimilar, CancellationToken ct)
    {
        var (turn, person) = context;
        var keys = SubmissionKeys.For(turn, draft);
        if (await log.FindReplayAsync(person.TenantId, keys, ct) is { } earlier)
        {
            return Logged(earlier, person, draft.Anonymous);
        }
        if (checkSimilar && await SimilarAsync(person.TenantId, draft.Text, ct) is { Count: > 0 } similar)
        {
            return ObstacleCards.Similar(similar, draft);
        }
        var logged = await log.LogAsync(person, draft, keys, ct);
        return Logged(logged.Obstacle, person, draft.Anonymous);
    }

    /// <summary>The open obstacles most like <paramref name="text"/>, best first.</summary>
    public async Task<IReadOnlyList<Obstacle>> SimilarAsync(string tenantId, string text, CancellationToken ct) =>
        (await corpus.CurrentAsync(tenantId, ct)).Similar(text, MaxSimilarShown);

    private Reply Logged(Obstacle o, Person person, bool anonymous)
    {
        var notice = anonymous
            ? $"Logged anonymously as #{o.Id}. I kept no record of who you are, so you won't get updates: check on it any time with " +
              $"**{o.Kind.Word()} {o.Id}**. It starts with 1 vote that counts for nobody in particular."
            : $"Thanks, {CardText.Inert(person.Name.Split(' ', 2)[0], 40)}: logged as #{o.Id}. Colleagues can back it from **obstacles**, and you'll hear when a manager updates it.";
        // An anonymous submitter has no vote row; the card still offers no +1, as theirs is already counted.
        return cards.StatusReply(o, person, backed: true, notice);
    }
}
