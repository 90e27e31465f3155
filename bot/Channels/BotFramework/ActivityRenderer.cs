using System.Text.Json;
using EmpowerBot.Conversation;
using EmpowerBot.Conversation.Cards;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>Renders a feature's <see cref="Reply"/> as a Bot Framework message Activity, binding cards from cards/.</summary>
public sealed class ActivityRenderer(CardTemplates templates)
{
    public Activity ToActivity(Reply reply, ConversationReference to, string? replyToId)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            ChannelId = to.ChannelId,
            ServiceUrl = to.ServiceUrl,
            From = new ChannelAccount { Id = to.BotId, Name = to.BotName },
            // A post into a channel has no one recipient.
            Recipient = to.UserId.Length == 0 ? null : new ChannelAccount { Id = to.UserId, Name = to.UserName, AadObjectId = to.AadObjectId },
            Conversation = new ConversationAccount { Id = to.ConversationId, ConversationType = to.ConversationType, TenantId = to.TenantId },
            ReplyToId = replyToId,
            Text = reply.Text,
        };
        if (reply.Card is { } card)
        {
            activity.Attachments = [Attachment(card)];
            activity.Summary = card.Summary;
        }
        else
        {
            activity.TextFormat = "markdown";
        }
        return activity;
    }

    public Attachment Attachment(CardReply card) => new()
    {
        ContentType = ActivityTypes.AdaptiveCardContentType,
        Content = templates.Render(card.Template, card.Model),
    };

    /// <summary>
    /// The HTTP body answering an adaptiveCard/action invoke (Universal Actions): a card replaces the clicked one,
    /// a message is shown to the clicker, an error carries its code.
    /// </summary>
    public object InvokeBody(CardActionResult result)
    {
        if (result.Card is { } card)
        {
            return new { statusCode = 200, type = ActivityTypes.AdaptiveCardContentType, value = templates.Render(card.Template, card.Model) };
        }
        if (result.StatusCode >= 400)
        {
            return new { statusCode = result.StatusCode, type = "application/vnd.microsoft.error", value = new { code = "BadRequest", message = result.Message } };
        }
        return new { statusCode = 200, type = "application/vnd.microsoft.activity.message", value = result.Message ?? "Done." };
    }

    /// <summary>The UTF-8 JSON of an HTTP body: written as it is sent, with no string in between.</summary>
    public static byte[] Serialize(object body) => JsonSerializer.SerializeToUtf8Bytes(body, ActivityJson.Options);
}
