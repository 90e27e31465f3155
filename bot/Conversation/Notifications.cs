using System.Text.Json;
using EmpowerBot.Outbox;

namespace EmpowerBot.Conversation;

/// <summary>
/// A message the bot sends to someone on its own initiative (an approval card, an outcome, an update), as stored
/// in the outbox until delivered. The card model is kept as JSON so the message survives restarts unchanged.
/// </summary>
/// <param name="Urgent">Urgent messages (approval requests) go through even during the person's quiet-time break.</param>
/// <param name="Topic">With <paramref name="Correlation"/>, tells the feature that sent it where the message landed (see <see cref="ISentMessageObserver"/>).</param>
public sealed record Notification(
    string TenantId,
    string PersonKey,
    string? Text,
    string? Template,
    JsonElement? Model,
    string Summary,
    bool Urgent = false,
    string? Topic = null,
    string? Correlation = null)
{
    public static Notification Of(string tenantId, string personKey, Reply reply, bool urgent = false, string? topic = null, string? correlation = null) => new(
        tenantId,
        personKey,
        reply.Text,
        reply.Card?.Template,
        reply.Card is { } card ? JsonSerializer.SerializeToElement(card.Model, card.Model.GetType(), OutboxMessage.JsonOptions) : null,
        reply.Card?.Summary ?? reply.Text ?? "",
        urgent,
        topic,
        correlation);

    public Reply ToReply() => Template is { } template && Model is { } model
        ? new Reply(Text, new CardReply(template, model, Summary))
        : Reply.Say(Text ?? Summary);
}

/// <summary>Where a proactive message landed: the conversation and the channel's id of the message (for later updates).</summary>
public sealed record SentMessage(Notification Notification, ConversationReference Conversation, string? ActivityId);

/// <summary>A feature that wants to know where its proactive messages landed (e.g. to update a card for everyone later).</summary>
public interface ISentMessageObserver
{
    string Topic { get; }

    Task OnSentAsync(SentMessage sent, CancellationToken ct);

    /// <summary>
    /// The message can never reach its person (no conversation, and the channel cannot open one: the app is not
    /// installed for them, say): the feature that sent it can tell whoever is waiting on it. Called once, before the
    /// message becomes a dead letter.
    /// </summary>
    Task OnUndeliverableAsync(Notification notification, string reason, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>A channel that can reach a person proactively: Bot Framework (Teams, Web Chat) or Slack.</summary>
public interface IProactiveChannel
{
    bool Handles(string channelId);

    /// <summary>Sends a new message in the person's conversation; returns the channel's id of the message.</summary>
    Task<string?> SendAsync(ConversationReference to, Reply reply, CancellationToken ct);

    /// <summary>Replaces a message the bot sent earlier (e.g. a decided approval card).</summary>
    Task UpdateAsync(ConversationReference to, string activityId, Reply reply, CancellationToken ct);

    /// <summary>Opens a 1:1 conversation with someone who never wrote to the bot, or null when this channel cannot.</summary>
    Task<ConversationReference?> OpenAsync(string tenantId, string personKey, CancellationToken ct);
}

/// <summary>Queues proactive messages in the outbox; the dispatcher delivers them, surviving restarts and outages.</summary>
public sealed class Notifier(OutboxWriter outbox, TimeProvider clock)
{
    public const string Kind = "notify.person";

    /// <param name="id">Stable id for this notification, so that retrying the step that sends it does not send it twice.</param>
    public Task SendAsync(string id, Notification notification, CancellationToken ct, DateTimeOffset? due = null) =>
        outbox.EnqueueAsync(OutboxMessage.Create(id, Kind, notification, due ?? clock.GetUtcNow()), ct);
}
