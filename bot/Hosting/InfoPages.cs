namespace EmpowerBot.Hosting;

/// <summary>The plain pages the Teams app manifest links to: what the bot is, its privacy notice and terms of use.</summary>
public static class InfoPages
{
    private const string Home =
        "EmpowerBot is running. Point a Bot Framework channel (Teams, the Agents Playground) at /api/messages, a Slack app at /api/slack/events, /api/slack/commands and /api/slack/interactions.";

    private const string Privacy = """
        EmpowerBot privacy notice

        What is stored, in your organisation's own storage account: your chat identity (to reply and to send you
        approvals and updates), the credits you give and their status, approval requests and decisions, the
        obstacles and ideas you log and who backed them, kudos, and your quiet-time break preferences and state.

        What is not: anonymous obstacles and ideas store no submitter at all. Managers see team-level figures of
        breaks, never a person's break history, and no ranking of people. No message is sent to third parties
        except the billing events your organisation configures.

        Ask your EmpowerBot administrator to export or delete your data.
        """;

    private const string Terms = """
        EmpowerBot terms of use

        EmpowerBot is provided by your organisation for customer-service work. Credits you give are real money
        credited to customers: give them within your team's policy, for the reason you state. Your organisation's
        policies on acceptable use apply.
        """;

    public static IEndpointRouteBuilder MapInfoPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Text(Home));
        app.MapGet("/privacy", () => Results.Text(Privacy));
        app.MapGet("/terms", () => Results.Text(Terms));
        return app;
    }
}
