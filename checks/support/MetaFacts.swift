import DoctorKit
import MetaConfig
import MetaGraph

/// The app access token from the client-credentials exchange (`app.secret`).
public enum AppAccessTokenFact: FactKey { public typealias Value = Secret }
/// The app's name as Meta knows it (`app.secret`).
public enum AppNameFact: FactKey { public typealias Value = String }
/// debug_token of the Page token (`messenger.page-token`).
public enum PageTokenInfoFact: FactKey { public typealias Value = DebugTokenInfo }
/// debug_token of the WhatsApp token (`whatsapp.token`).
public enum WhatsAppTokenInfoFact: FactKey { public typealias Value = DebugTokenInfo }
/// debug_token of the Instagram token and the Page it belongs to (`instagram.token`).
public enum InstagramTokenFact: FactKey { public typealias Value = (info: DebugTokenInfo, pageID: String) }
