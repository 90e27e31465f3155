namespace EmpowerBot.Conversation;

/// <summary>
/// Tells the feature that sent a message where it landed: a proactive message (by its notification's topic) or a reply
/// of a turn that carries a <see cref="ReplyTag"/>, from Teams and from Slack alike.
/// </summary>
public sealed class SentMessages(IEnumerable<ISentMessageObserver> observers, ILogger<SentMessages> log)
{
    private readonly Dictionary<string, ISentMessageObserver> byTopic = observers.ToDictionary(o => o.Topic);

    public Task OnSentAsync(SentMessage sent, CancellationToken ct) =>
        sent.Notification.Topic is { } topic && byTopic.TryGetValue(topic, out var observer) ? observer.OnSentAsync(sent, ct) : Task.CompletedTask;

    public Task OnUndeliverableAsync(Notification notification, string reason, CancellationToken ct) =>
        notification.Topic is { } topic && byTopic.TryGetValue(topic, out var observer) ? observer.OnUndeliverableAsync(notification, reason, ct) : Task.CompletedTask;

    /// <summary>
    /// A turn's reply was posted as <paramref name="activityId"/> in <paramref name="at"/>. The answer is out already, so
    /// a failure to record where is logged, not thrown: the reply then only misses its later updates.
    /// </summary>
    public async Task OnReplySentAsync(Reply reply, ConversationReference at, string? activityId, CancellationToken ct)
    {
        if (reply.Tag is not { } tag || string.IsNullOrEmpty(activityId)) return;
        var notification = new Notification(tag.TenantId, tag.PersonKey, reply.Text, reply.Card?.Template, null, reply.Card?.Summary ?? reply.Text ?? "",
            Topic: tag.Topic, Correlation: tag.Correlation);
        try
        {
            await OnSentAsync(new SentMessage(notification, at, activityId), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Could not record where reply {Activity} for {Topic} {Correlation} landed; it will not be updated", activityId, tag.Topic, tag.Correlation);
        }
    }
}
