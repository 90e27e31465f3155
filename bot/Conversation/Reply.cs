namespace EmpowerBot.Conversation;

/// <summary>
/// A card to show: the template name in cards/ and the view model bound into it.
/// <paramref name="Summary"/> is plain text for notifications and channels that cannot show cards.
/// </summary>
public sealed record CardReply(string Template, object Model, string Summary);

/// <summary>
/// A file that goes with a reply (an export's CSV), written when the channel sends it: a channel that can upload files
/// (Slack) does, streamed through a temporary file; the others show the reply alone (its card links the same files).
/// </summary>
public sealed record ReplyFile(string Name, string Title, Func<Stream, CancellationToken, Task> WriteAsync);

/// <summary>What a feature answers: text, a card, or both. Channel adapters render it in their own format.</summary>
/// <summary>Whose reply it is and what it belongs to: the feature's topic and its own id (see <see cref="Reply.Tag"/>).</summary>
public sealed record ReplyTag(string TenantId, string PersonKey, string Topic, string Correlation);

public sealed record Reply(string? Text = null, CardReply? Card = null)
{
    /// <summary>Files to upload with the reply where the channel can; empty for most replies.</summary>
    public IReadOnlyList<ReplyFile> Files { get; init; } = [];

    /// <summary>What to say with the files where they are uploaded (in place of the reply itself).</summary>
    public string? FilesNote { get; init; }

    /// <summary>
    /// Set by a feature that wants to know where this reply landed, to update it later (a rep's waiting request as it is
    /// decided): told through <see cref="ISentMessageObserver"/> as a notification with the same topic would be.
    /// </summary>
    public ReplyTag? Tag { get; init; }

    public static Reply Say(string text) => new(text);

    public static Reply Show(string template, object model, string summary) => new(null, new CardReply(template, model, summary));
}

/// <summary>
/// The answer to a card action (Action.Execute): an HTTP-like status and the card that replaces the clicked one,
/// or a message shown to the clicker. Built in one place so every feature answers invokes alike.
/// </summary>
public sealed record CardActionResult(int StatusCode, CardReply? Card = null, string? Message = null)
{
    public static CardActionResult Updated(CardReply card) => new(200, card);

    public static CardActionResult Notice(string message) => new(200, null, message);

    public static CardActionResult Error(int statusCode, string message) => new(statusCode, null, message);
}

/// <summary>Everything a turn produced: replies to post, and for a card action, the invoke answer.</summary>
public sealed record TurnResult(IReadOnlyList<Reply> Replies, CardActionResult? ActionResult = null)
{
    /// <summary>
    /// True for turns that must leave no trace beyond their own feature's data (an anonymous submission):
    /// turn observers are not told of them, so not even the time of the turn is kept against the person.
    /// </summary>
    public bool Unobserved { get; init; }

    /// <summary>
    /// True when the turn came from a card that writes (its data carries a key): the first reply is that card's outcome
    /// and replaces the card where the channel can, so the clicked buttons cannot be pressed again.
    /// </summary>
    public bool ReplacesCard { get; init; }

    public static readonly TurnResult Nothing = new([]);

    public static TurnResult Of(params Reply[] replies) => new(replies);
}
