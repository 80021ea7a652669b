import DoctorKit
import MetaConfig
import MetaGraph

/// The app access token from the client-credentials exchange (`app.secret`).
public enum AppAccessTokenFact: FactKey { public typealias Value = Secret }
/// debug_token of the Instagram token and the Page it belongs to (`instagram.token`).
public enum InstagramTokenFact: FactKey { public typealias Value = (info: DebugTokenInfo, pageID: String) }
/// The Instagram account an Instagram-Login token belongs to (`instagram.token`, instagram-login path).
public enum InstagramLoginAccountFact: FactKey { public typealias Value = (accountID: String, username: String?) }
