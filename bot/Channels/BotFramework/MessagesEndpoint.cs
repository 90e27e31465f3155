using EmpowerBot.Hosting;
using System.Text.Json;
using Microsoft.Extensions.Options;
using EmpowerBot.Conversation;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>
/// POST /api/messages: the Bot Framework Activity protocol. Checks the request, authenticates it, runs the turn,
/// and answers the way the activity asks: replies posted to the connector, returned in the body (expectReplies),
/// or the invoke response as the HTTP response.
/// </summary>
public static class MessagesEndpoint
{
    public const int MaxBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapBotFramework(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/messages", HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http,
        IChannelAuthenticator auth,
        IOptions<BotFrameworkOptions> options,
        ActivityMapper mapper,
        TeamsRoster teams,
        TurnHandler turns,
        ReplySender sender,
        TimeProvider clock,
        ILoggerFactory logs,
        CancellationToken ct)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!options.Value.DevelopmentMode && string.IsNullOrEmpty(header))
        {
            return HttpProblem.Json(401, "Missing Authorization header.");
        }
        var (activity, error) = await ActivityReader.ReadAsync(http.Request, MaxBodyBytes, ct);
        if (activity is null)
        {
            return error!;
        }
        var verdict = await auth.AuthenticateAsync(header.Length == 0 ? null : header, activity.ChannelId!, activity.ServiceUrl!, ct);
        if (!verdict.Succeeded)
        {
            logs.CreateLogger(typeof(MessagesEndpoint)).LogWarning("Rejected activity {ActivityId} on {Channel}: {Reason}", activity.Id, activity.ChannelId, verdict.Failure);
            // Keys that cannot be fetched are our problem, not the caller's: 503 lets the channel retry.
            return verdict.IsTransient ? HttpProblem.Json(503, "Cannot verify the token right now.") : HttpProblem.Json(401, "Unauthorized.");
        }
        // A team's installation and membership events keep the linked EmpowerBot team current (the welcome still follows).
        var linked = await teams.HandleAsync(activity, ct);
        var turn = mapper.ToTurn(activity, clock.GetUtcNow());
        if (turn is null)
        {
            return Results.Ok();
        }
        // In a team's channel everyone reads the answer: budgets and credits stay in the person's 1:1 chat with the bot.
        // (Card clicks in a channel, such as an approvals channel's cards, are answered as anywhere.)
        var inChannel = activity.Conversation?.ConversationType == "channel";
        var result = (turn.Kind, inChannel) switch
        {
            (TurnKind.Message, true) => TurnResult.Of(Reply.Say("I answer in our 1:1 chat, so your budget and your customers' credits stay private: open a chat with me and say **help**.")),
            // Installed in a team: the channel hears what the team now is, not one person's welcome.
            (TurnKind.Installed, true) => TurnResult.Of(Reply.Say(linked ?? "EmpowerBot is here. Open a 1:1 chat with me and say **help**.")),
            _ => await turns.HandleAsync(turn, ct),
        };
        if (activity.ExpectsReplies)
        {
            var replies = sender.Render(result, turn.Conversation, activity.Id);
            if (result.ActionResult is { } action)
            {
                replies.Insert(0, InvokeResponseActivity(sender.InvokeBody(action), action.StatusCode));
            }
            return Results.Text(ActivityRenderer.Serialize(new { activities = replies }), "application/json", statusCode: 200);
        }
        await sender.SendAsync(result, turn.Conversation, activity.Id, activity.ReplyToId, ct);
        if (result.ActionResult is { } invoke)
        {
            return Results.Text(ActivityRenderer.Serialize(sender.InvokeBody(invoke)), "application/json", statusCode: invoke.StatusCode);
        }
        return Results.Ok();
    }

    /// <summary>With expectReplies, the invoke response travels as an activity of type invokeResponse, as in the SDK.</summary>
    private static Activity InvokeResponseActivity(object body, int status) => new()
    {
        Type = ActivityTypes.InvokeResponse,
        Value = JsonSerializer.SerializeToElement(new { status, body }, ActivityJson.Options),
    };
}
